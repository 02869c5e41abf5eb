package io.imagegate.report;

import io.imagegate.image.Digest;
import io.imagegate.policy.Location;
import io.imagegate.policy.Severity;
import java.util.Optional;

/**
 * A rule violated by an image: which rule, how severe, what was found and where, and — for a
 * path — the layer that put it there and the build step that made that layer.
 */
public record Finding(
    String ruleId, String ruleType, Severity severity, String message, Location location, Optional<LayerRef> layer) {

  /**
   * The layer a finding points at.
   *
   * @param createdBy the history entry's {@code created_by} (the Dockerfile instruction), empty when unknown
   */
  public record LayerRef(int index, Digest diffId, Optional<Digest> blobDigest, String createdBy) {}
}
