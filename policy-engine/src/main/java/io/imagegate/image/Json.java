package io.imagegate.image;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one default-configured Jackson mapper that readers of manifests, configs, indexes, Docker
 * config files and the policy schema share. A mapper is thread-safe once built and costly to build
 * (a good part of a short run's start-up), so there is one; never reconfigure it. Reporters that
 * need other settings build their own.
 */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
