package io.imagegate.scan;

import java.util.Set;

/**
 * One path of a layer, or of the merged filesystem, as its tar header described it.
 *
 * @param path absolute and normalised, e.g. {@code /usr/bin/curl}
 * @param mode permission bits including setuid, setgid and sticky ({@code 07777})
 * @param size content size for regular files; 0 for other types
 * @param linkTarget the symlink target as written (relative or absolute), or the normalised
 *     absolute path a hard link names; empty for other types
 * @param layer the index of the layer that wrote this entry last
 * @param markers the content markers (declared in a {@link ScanInterest}) found in this file
 */
public record FileEntry(
    String path, FileType type, int mode, long uid, long gid, long size, String linkTarget, int layer,
    Set<String> markers) {

  public FileEntry {
    markers = Set.copyOf(markers);
  }

  /** A regular file or a hard link to one, with any execute bit set. */
  public boolean isExecutable() {
    return (type == FileType.FILE || type == FileType.HARDLINK) && (mode & 0111) != 0;
  }

  /** The last path component. */
  public String name() {
    return Paths.basename(path);
  }

  FileEntry withLayer(int newLayer) {
    return newLayer == layer ? this : new FileEntry(path, type, mode, uid, gid, size, linkTarget, newLayer, markers);
  }

  FileEntry withMarkers(Set<String> newMarkers) {
    return new FileEntry(path, type, mode, uid, gid, size, linkTarget, layer, newMarkers);
  }
}
