package io.imagegate.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parts of an image configuration (OCI {@code config} / Docker container config) that rules read.
 *
 * @param user {@code Config.User}, empty when unset
 * @param entrypoint empty when unset
 * @param cmd empty when unset
 * @param healthcheck the {@code Healthcheck.Test} vector, empty when the image declares none
 */
public record ImageConfig(
    String user,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    Set<String> exposedPorts,
    Map<String, String> labels,
    List<String> healthcheck,
    String workingDir,
    List<HistoryEntry> history,
    List<Digest> diffIds,
    Optional<Platform> platform,
    String created) {

  private static final ObjectMapper JSON = Json.MAPPER;

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    exposedPorts = Set.copyOf(exposedPorts);
    labels = Map.copyOf(labels);
    healthcheck = List.copyOf(healthcheck);
    history = List.copyOf(history);
    diffIds = List.copyOf(diffIds);
  }

  /**
   * Parses a config blob. {@code where} names the blob in error messages.
   *
   * @throws ImageReadException when the JSON is malformed or lacks {@code rootfs.diff_ids}
   */
  public static ImageConfig parse(byte[] json, String where) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new ImageReadException(where + ": config is not valid JSON: " + oneLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new ImageReadException(where + ": config is not a JSON object");
    }
    JsonNode c = root.path("config");
    JsonNode rootfs = root.path("rootfs");
    if (!rootfs.path("diff_ids").isArray()) {
      throw new ImageReadException(where + ": config has no rootfs.diff_ids");
    }
    List<Digest> diffIds = new ArrayList<>();
    for (JsonNode d : rootfs.path("diff_ids")) {
      try {
        diffIds.add(Digest.parse(d.asText()));
      } catch (IllegalArgumentException e) {
        throw new ImageReadException(where + ": config rootfs.diff_ids: " + e.getMessage());
      }
    }
    List<HistoryEntry> history = new ArrayList<>();
    for (JsonNode h : root.path("history")) {
      history.add(new HistoryEntry(
          h.path("created").asText(""),
          h.path("created_by").asText(""),
          h.path("comment").asText(""),
          h.path("empty_layer").asBoolean(false)));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : c.path("Labels").properties()) {
      labels.put(e.getKey(), e.getValue().asText(""));
    }
    Set<String> ports = new LinkedHashSet<>();
    c.path("ExposedPorts").fieldNames().forEachRemaining(ports::add);
    return new ImageConfig(
        c.path("User").asText(""),
        strings(c.path("Entrypoint")),
        strings(c.path("Cmd")),
        strings(c.path("Env")),
        ports,
        labels,
        strings(c.path("Healthcheck").path("Test")),
        c.path("WorkingDir").asText(""),
        history,
        diffIds,
        Platform.of(root.path("os").asText(""), root.path("architecture").asText(""), root.path("variant").asText("")),
        root.path("created").asText(""));
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (node.isTextual()) {
      out.add(node.asText());
    }
    return out;
  }

  /** Collapses whitespace (newlines included) so a message stays on one line. */
  public static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  /** The history entries that made filesystem layers, in layer order (empty layers skipped). */
  public List<HistoryEntry> layerHistory() {
    return history.stream().filter(h -> !h.emptyLayer()).toList();
  }
}
