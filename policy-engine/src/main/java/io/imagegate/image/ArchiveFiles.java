package io.imagegate.image;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of an image archive, a tar or a directory, by their relative names. Names come from
 * inside the archive (manifest.json), so implementations refuse any that would leave it.
 */
interface ArchiveFiles extends Closeable {
  Pattern BLOB_PATH = Pattern.compile("blobs/(sha256|sha512)/([a-f0-9]+)");

  /** The files of a directory, or of a tar read in place. */
  static ArchiveFiles open(java.nio.file.Path path) {
    return java.nio.file.Files.isDirectory(path) ? new DirectoryFiles(path) : TarArchiveFiles.open(path);
  }

  /** The size of a regular file, or empty when there is none by that name. */
  Optional<Long> size(String name);

  /** Opens a regular file. */
  InputStream open(String name) throws IOException;

  /** The archive's path, for messages. */
  String describe();

  default boolean contains(String name) {
    return size(name).isPresent();
  }

  /** Reads a small file that is not addressed by digest (index.json, manifest.json), bounded. */
  default byte[] readSmall(String name, int max) {
    long size = size(name).orElseThrow(() -> new ImageReadException(describe() + ": no " + name));
    if (size > max) {
      throw new ImageReadException(describe() + ": " + name + " is " + size + " bytes, over the limit of " + max);
    }
    try (InputStream in = open(name)) {
      return in.readNBytes(max);
    } catch (IOException e) {
      throw new ImageReadException(describe() + ": cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** {@link #normalize} with this archive named in the refusal. */
  default String normalizeInside(String name) {
    try {
      return normalize(name);
    } catch (ImageReadException e) {
      throw new ImageReadException(describe() + ": " + e.getMessage());
    }
  }

  /** Normalises an archive-relative name: strips {@code ./} and leading slashes; rejects {@code ..}. */
  static String normalize(String name) {
    String n = name;
    while (n.startsWith("./")) {
      n = n.substring(2);
    }
    while (n.startsWith("/")) {
      n = n.substring(1);
    }
    for (String part : n.split("/")) {
      if (part.equals("..")) {
        throw new ImageReadException("refusing a path that leaves the archive: " + name);
      }
    }
    return n;
  }

  /**
   * Where a link member {@code linkName} pointing at {@code target} leads, as an archive-relative
   * name: a relative target against the link's directory. Empty when the target is absolute or
   * climbs out of the archive.
   */
  static Optional<String> resolveLink(String linkName, String target) {
    if (target.startsWith("/")) {
      return Optional.empty();
    }
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    int slash = linkName.lastIndexOf('/');
    String joined = slash < 0 ? target : linkName.substring(0, slash) + "/" + target;
    for (String part : joined.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.pollLast() == null) {
          return Optional.empty();
        }
      } else {
        parts.addLast(part);
      }
    }
    return Optional.of(String.join("/", parts));
  }

  /** The digest a {@code blobs/ALG/HEX} name encodes, if it is one. */
  static Optional<Digest> digestOfBlobPath(String name) {
    Matcher m = BLOB_PATH.matcher(normalize(name));
    if (m.matches() && Digest.isDigest(m.group(1) + ":" + m.group(2))) {
      return Optional.of(Digest.parse(m.group(1) + ":" + m.group(2)));
    }
    return Optional.empty();
  }

  /** The blobs of this archive as a {@link BlobStore}. */
  default BlobStore blobStore() {
    ArchiveFiles files = this;
    return new BlobStore() {
      @Override
      public InputStream open(Digest digest) throws IOException {
        return files.open(path(digest));
      }

      @Override
      public boolean contains(Digest digest) {
        return files.contains(path(digest));
      }

      @Override
      public String describe() {
        return files.describe();
      }

      private String path(Digest d) {
        return "blobs/" + d.algorithm() + "/" + d.hex();
      }
    };
  }
}
