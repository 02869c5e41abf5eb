package io.imagegate.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An image layout in a directory. Names resolve only to regular files inside it; a symlink is
 * followed when it stays inside (an unpacked classic {@code docker save} links repeated layers),
 * never out.
 */
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
    Path p = root.resolve(normalizeInside(name)).normalize();
    Path real;
    try {
      if (!Files.isRegularFile(p)) {
        return Optional.empty();
      }
      real = p.toRealPath();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (!real.startsWith(root)) {
      throw new ImageReadException(describe() + ": " + name + " is a link leading outside the directory");
    }
    return Optional.of(real);
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
