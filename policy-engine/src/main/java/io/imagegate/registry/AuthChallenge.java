package io.imagegate.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 9110 §11.6.1): a scheme and its
 * parameters, e.g. {@code Bearer realm="https://auth.example/token",service="registry.example"}.
 *
 * @param scheme lower-cased, e.g. {@code bearer} or {@code basic}; empty for no challenge
 * @param params parameter names lower-cased, values unquoted
 */
record AuthChallenge(String scheme, Map<String, String> params) {
  static final AuthChallenge NONE = new AuthChallenge("", Map.of());

  AuthChallenge {
    params = Map.copyOf(params);
  }

  boolean isBearer() {
    return scheme.equals("bearer");
  }

  boolean isBasic() {
    return scheme.equals("basic");
  }

  Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name)).filter(v -> !v.isEmpty());
  }

  /** The challenge to answer among those of every {@code WWW-Authenticate} value: Bearer, else Basic, else none. */
  static AuthChallenge pick(List<String> headerValues) {
    List<AuthChallenge> all = new ArrayList<>();
    headerValues.forEach(v -> all.addAll(parse(v)));
    return all.stream().filter(AuthChallenge::isBearer).findFirst()
        .or(() -> all.stream().filter(AuthChallenge::isBasic).findFirst())
        .orElse(NONE);
  }

  /** Parses one header value, which may hold several comma-separated challenges. */
  static List<AuthChallenge> parse(String header) {
    List<AuthChallenge> out = new ArrayList<>();
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    int i = 0;
    int n = header.length();
    while (i < n) {
      char c = header.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
        continue;
      }
      int start = i;
      while (i < n && " \t,=".indexOf(header.charAt(i)) < 0) {
        i++;
      }
      String token = header.substring(start, i);
      int j = i;
      while (j < n && (header.charAt(j) == ' ' || header.charAt(j) == '\t')) {
        j++;
      }
      if (scheme != null && j < n && header.charAt(j) == '=') {
        // auth-param: token "=" ( token / quoted-string )
        i = j + 1;
        while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == '\t')) {
          i++;
        }
        StringBuilder value = new StringBuilder();
        if (i < n && header.charAt(i) == '"') {
          i++;
          while (i < n && header.charAt(i) != '"') {
            if (header.charAt(i) == '\\' && i + 1 < n) {
              i++;
            }
            value.append(header.charAt(i++));
          }
          i++;
        } else {
          while (i < n && header.charAt(i) != ',') {
            value.append(header.charAt(i++));
          }
        }
        params.put(token.toLowerCase(Locale.ROOT), value.toString().trim());
      } else if (j < n && header.charAt(j) == '=' && scheme == null) {
        i = j + 1; // a parameter before any scheme: malformed, skip it
      } else {
        if (scheme != null) {
          out.add(new AuthChallenge(scheme, params));
          params = new LinkedHashMap<>();
        }
        scheme = token.toLowerCase(Locale.ROOT);
      }
    }
    if (scheme != null) {
      out.add(new AuthChallenge(scheme, params));
    }
    return out;
  }
}
