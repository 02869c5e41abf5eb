package io.imagegate.policy;

import io.imagegate.image.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Policy documents that passed the JSON Schema before, by content: a document with the same bytes
 * (and the same schema) passes again, so a rerun need not compile and apply the schema — about
 * 0.2 s of every run with a policy file. The loader's own checks still run every time.
 */
public interface CheckedDocuments {
  /** Whether a document with this key passed before. */
  boolean contains(String key);

  /** Records that a document with this key passed. */
  void add(String key);

  /** Remembers nothing: every document is checked. */
  CheckedDocuments NONE = new CheckedDocuments() {
    @Override
    public boolean contains(String key) {
      return false;
    }

    @Override
    public void add(String key) {}
  };

  /** The key of {@code text} checked against {@code schema}. */
  static String key(PolicySchema schema, String text) {
    return Digest.sha256Of((schema.text() + "\u0000" + text).getBytes(StandardCharsets.UTF_8)).hex();
  }

  /** Remembered in this process only. */
  static CheckedDocuments inMemory() {
    Set<String> keys = ConcurrentHashMap.newKeySet();
    return new CheckedDocuments() {
      @Override
      public boolean contains(String key) {
        return keys.contains(key);
      }

      @Override
      public void add(String key) {
        keys.add(key);
      }
    };
  }

  /**
   * Remembered as empty marker files under {@code dir}, one directory per {@code codeVersion}
   * (other code may check differently). A marker found is marked used, for cache pruning; any
   * failure to read or write just means checking again.
   */
  static CheckedDocuments in(Path dir, String codeVersion) {
    Path root = dir.resolve(Digest.sha256Of(codeVersion.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 16));
    return new CheckedDocuments() {
      @Override
      public boolean contains(String key) {
        Path marker = root.resolve(key);
        try {
          Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
          return true;
        } catch (IOException | RuntimeException e) {
          return false; // absent (or unwritable: then checking again is the safe side)
        }
      }

      @Override
      public void add(String key) {
        try {
          Files.createDirectories(root);
          Files.createFile(root.resolve(key));
        } catch (FileAlreadyExistsException e) {
          // another run recorded it
        } catch (IOException | RuntimeException e) {
          // not remembered
        }
      }
    };
  }
}
