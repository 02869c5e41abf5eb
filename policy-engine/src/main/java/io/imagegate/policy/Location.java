package io.imagegate.policy;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where in the image a finding applies: a path (and the layer that put it there), a config field
 * such as {@code User} or {@code Cmd}, or the image as a whole (sizes).
 */
public record Location(Optional<String> path, OptionalInt layer, Optional<String> configField) {

  /** A path in the merged filesystem, written by {@code layer}. */
  public static Location file(String path, int layer) {
    return new Location(Optional.of(path), OptionalInt.of(layer), Optional.empty());
  }

  /** A field of the image config, e.g. {@code User}. */
  public static Location config(String field) {
    return new Location(Optional.empty(), OptionalInt.empty(), Optional.of(field));
  }

  /** A layer as a whole. */
  public static Location layer(int layer) {
    return new Location(Optional.empty(), OptionalInt.of(layer), Optional.empty());
  }

  /** The image as a whole. */
  public static Location image() {
    return new Location(Optional.empty(), OptionalInt.empty(), Optional.empty());
  }

  /** A short text for people: the path, {@code config User}, or {@code image}. */
  public String describe() {
    if (path.isPresent()) {
      return path.get();
    }
    if (configField.isPresent()) {
      return "config " + configField.get();
    }
    return layer.isPresent() ? "layer " + layer.getAsInt() : "image";
  }
}
