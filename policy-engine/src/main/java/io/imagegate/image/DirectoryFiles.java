package io.imagegate.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/** An image layout in a directory. Names resolve only to regular files inside it, never through a link out. */
final class DirectoryFiles implements ArchiveFiles {
  private final Path root;

  DirectoryFiles(Path root) {
    try {
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new ImageReadException(root + ": cannot open directory: " + e.getMessage(), e);
    }
  }

  private Optional<Path> resolve(String name) {
    Path p = root.resolve(ArchiveFiles.normalize(name)).normalize();
    try {
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || !p.toRealPath().startsWith(root)) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(p);
  }

  @Override
  public Optional<Long> size(String name) {
    return resolve(name).map(p -> {
      try {
        return Files.size(p);
      } catch (IOException e) {
        throw new ImageReadException(p + ": " + e.getMessage(), e);
      }
    });
  }

  @Override
  public InputStream open(String name) throws IOException {
    Path p = resolve(name).orElseThrow(() -> new ImageReadException(describe() + ": no " + name));
    return Files.newInputStream(p);
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public void close() {}
}
