package io.imagegate.scan;

/** The kinds of tar entries a layer holds. */
public enum FileType {
  FILE,
  DIRECTORY,
  SYMLINK,
  /** A tar hard link: same content as an earlier entry, named by {@link FileEntry#linkTarget()}. */
  HARDLINK,
  /** Character or block device, FIFO. */
  OTHER
}
