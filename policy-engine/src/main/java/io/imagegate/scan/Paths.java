package io.imagegate.scan;

import java.util.ArrayDeque;
import java.util.Deque;

/** Path arithmetic inside an image root. Never touches the host filesystem. */
public final class Paths {
  private Paths() {}

  /**
   * Normalises a tar entry name or a path inside the image to an absolute path: strips
   * {@code ./} and trailing slashes, resolves {@code .} and {@code ..} lexically, clamping at the
   * root ({@code /../etc} is {@code /etc}, as the kernel resolves it inside a chroot).
   */
  public static String normalize(String name) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
  }

  /** The last component; {@code /} for the root. */
  public static String basename(String path) {
    if (path.equals("/")) {
      return "/";
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** The parent directory; the root's parent is the root. */
  public static String parent(String path) {
    int i = path.lastIndexOf('/');
    return i <= 0 ? "/" : path.substring(0, i);
  }

  /** {@code dir + "/" + name} without doubling the root's slash. */
  public static String child(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }
}
