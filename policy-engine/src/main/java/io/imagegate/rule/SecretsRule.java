package io.imagegate.rule;

import io.imagegate.facts.ImageFacts;
import io.imagegate.facts.SecretText;
import io.imagegate.policy.ByteSize;
import io.imagegate.policy.Check;
import io.imagegate.policy.Glob;
import io.imagegate.policy.Location;
import io.imagegate.policy.RuleDocumentation;
import io.imagegate.policy.RuleParameters;
import io.imagegate.policy.RuleType;
import io.imagegate.policy.Violation;
import io.imagegate.scan.ContentMatch;
import io.imagegate.scan.FileEntry;
import io.imagegate.scan.LayerIndex;
import io.imagegate.scan.Paths;
import io.imagegate.scan.ScanInterest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code secrets}: private keys, cloud credentials and secret-bearing files, found by name and by
 * content in every layer (a secret a later layer deleted is still in the image), and secret
 * values in {@code ENV} and in build arguments that history {@code created_by} recorded. Findings
 * never print a secret, only its first characters.
 */
public final class SecretsRule implements RuleType {
  /** Content needles: cheap to look for, then confirmed by the patterns below on the excerpts. */
  static final List<String> NEEDLES = List.of("PRIVATE KEY", "AKIA", "ASIA", "\"private_key\"");

  /** Files that hold secrets by what they are, captured whole (up to a bound) in every layer. */
  static final List<String> SECRET_FILE_GLOBS = List.of("**/.env", "**/.env.*", "**/.npmrc", "**/.pypirc",
      "**/.git-credentials", "**/.netrc", "**/id_rsa", "**/id_dsa", "**/id_ecdsa", "**/id_ed25519",
      "**/.docker/config.json", "**/.aws/credentials");
  private static final int SECRET_FILE_BYTES = 64 << 10;

  /** CA bundles and well-known test vectors: certificates and deliberately published keys, not secrets. */
  static final List<String> DEFAULT_IGNORES = List.of(
      "/etc/ssl/certs/**", "/usr/share/ca-certificates/**", "/usr/local/share/ca-certificates/**",
      "/etc/ca-certificates/**", "/etc/pki/ca-trust/**", "/etc/pki/tls/certs/**",
      "/usr/lib/python3*/test/**", "/usr/local/lib/python3*/test/**",
      "**/site-packages/*/tests/**", "**/site-packages/*/test/**", "**/dist-packages/*/tests/**", "**/dist-packages/*/test/**",
      "**/node_modules/*/test/**", "**/node_modules/*/tests/**", "**/node_modules/@*/*/test/**", "**/node_modules/@*/*/tests/**",
      "/usr/local/go/src/**/testdata/**", "/usr/lib/go*/src/**/testdata/**", "**/pkg/mod/**/testdata/**",
      "/usr/share/doc/**");

  private static final Pattern PEM_PRIVATE_KEY = Pattern.compile(
      "-----BEGIN ((?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----[ \\t]*\\r?\\n"
          + "(?:[A-Za-z-]+:[^\\n]*\\r?\\n)*\\s*[A-Za-z0-9+/=]{40,}");
  private static final Pattern GCP_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"service_account\"");
  private static final Pattern GCP_KEY = Pattern.compile("\"private_key\"\\s*:\\s*\"-----BEGIN [A-Z ]*PRIVATE KEY-----");
  private static final Pattern AWS_SECRET = Pattern.compile("(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");
  private static final int AWS_SECRET_DISTANCE = 1024;
  private static final Pattern ENV_LINE = Pattern.compile("(?m)^\\s*(?:export\\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\\s*=\\s*(\\S.*)$");
  private static final Pattern NPM_TOKEN = Pattern.compile("(?m)(_authToken|_auth|_password)\\s*=\\s*([^\\s$][^\\s]*)");
  private static final Pattern PYPI_PASSWORD = Pattern.compile("(?m)^\\s*password\\s*[=:]\\s*\\S+");
  private static final Pattern NETRC_PASSWORD = Pattern.compile("(?:^|\\s)password\\s+\\S+");
  private static final Pattern DOCKER_AUTH = Pattern.compile("\"(auth|identitytoken|registrytoken)\"\\s*:\\s*\"[^\"]+\"");
  private static final Pattern AWS_CREDENTIALS = Pattern.compile("(?mi)^\\s*aws_secret_access_key\\s*=\\s*\\S+");

  private static final RuleDocumentation DOC = new RuleDocumentation(
      "No secrets in the image",
      "No layer may contain a secret, and neither may the config or history. Files are found by content (PEM and "
          + "OpenSSH private keys, GCP service-account JSON keys, AWS access key ids with a secret access key "
          + "nearby) and by name (.env, .npmrc with an auth token, .pypirc and .netrc with a password, "
          + ".git-credentials, id_rsa/id_dsa/id_ecdsa/id_ed25519, .docker/config.json with auths, .aws/credentials), "
          + "in every layer: a file a later layer deleted or replaced is still in the image and anyone who pulls it "
          + "can extract it, so the finding names the layer that added it. ENV values and build arguments that "
          + "history created_by recorded (|2 NPM_TOKEN=... /bin/sh -c ...) are checked by key name "
          + "(*PASSWORD*, *SECRET*, *TOKEN*, *API_KEY*, ...), for URL passwords and for AWS key ids. Not secrets: "
          + "public keys, certificates and CA bundles (/etc/ssl/certs, /usr/share/ca-certificates), AWS's documented "
          + "example keys (...EXAMPLE), and the test vectors that language runtimes and packages ship "
          + "(/usr/lib/python3*/test/, site-packages/*/tests/, node_modules/*/test/, Go testdata/). Only files up to "
          + "max-file-size are searched by content. A finding shows at most the first characters of a secret (CIS "
          + "Docker Benchmark 4.10).",
      "Revoke the secret first: it is published with the image. Then rebuild without it: use RUN --mount=type=secret "
          + "(BuildKit) for build-time credentials instead of COPY or ARG, keep .env, .npmrc and key files out of the "
          + "build context (.dockerignore), and never rely on a later RUN rm: the layer that added the file keeps it.",
      List.of(
          new RuleDocumentation.Parameter("max-file-size", "size", "Files larger than this are not searched by content.", "1MiB"),
          new RuleDocumentation.Parameter("ignore-paths", "list of path globs", "More paths that are not searched (added to the defaults).", ""),
          new RuleDocumentation.Parameter("default-ignores", "boolean", "Skip CA bundles and well-known test-vector paths.", "true"),
          new RuleDocumentation.Parameter("check-env", "boolean", "Check ENV values in the config.", "true"),
          new RuleDocumentation.Parameter("check-history", "boolean", "Check build arguments and ENV recorded in history created_by.", "true")),
      List.of("security", "secrets", "cis-docker-4.10"));

  @Override
  public String name() {
    return "secrets";
  }

  @Override
  public RuleDocumentation documentation() {
    return DOC;
  }

  @Override
  public Check configure(RuleParameters p) {
    long maxFileSize = p.size("max-file-size").orElse(1L << 20);
    if (maxFileSize < 1 || maxFileSize > (64L << 20)) {
      throw p.error("max-file-size", "expected a size from 1 byte to 64MiB, found " + ByteSize.format(maxFileSize));
    }
    List<Glob> ignores = new ArrayList<>();
    if (p.bool("default-ignores").orElse(true)) {
      DEFAULT_IGNORES.forEach(g -> ignores.add(Glob.compile(g)));
    }
    ignores.addAll(p.globs("ignore-paths"));
    boolean checkEnv = p.bool("check-env").orElse(true);
    boolean checkHistory = p.bool("check-history").orElse(true);
    ScanInterest.ContentSearch search = new ScanInterest.ContentSearch("secrets:" + maxFileSize + ":" + ignores,
        List.of(), ignores, (int) maxFileSize, NEEDLES);
    List<Glob> fileGlobs = SECRET_FILE_GLOBS.stream().map(Glob::compile).toList();
    ScanInterest interest = ScanInterest.search(search);
    for (Glob g : fileGlobs) {
      interest = interest.and(ScanInterest.capture(g, SECRET_FILE_BYTES));
    }
    ScanInterest all = interest;
    return new Check() {
      @Override
      public ScanInterest interest() {
        return all;
      }

      @Override
      public List<Violation> evaluate(ImageFacts facts) {
        List<Violation> out = new ArrayList<>();
        for (int i = 0; i < facts.layerIndexes().size(); i++) {
          files(facts, i, search.name(), fileGlobs, ignores, out);
        }
        if (checkEnv) {
          env(facts, out);
        }
        if (checkHistory) {
          history(facts, out);
        }
        return out;
      }
    };
  }

  // ---- files ---------------------------------------------------------------------------------

  private static void files(ImageFacts facts, int index, String searchName, List<Glob> fileGlobs,
      List<Glob> ignores, List<Violation> out) {
    LayerIndex layer = facts.layerIndexes().get(index);
    Map<String, Set<String>> kinds = new LinkedHashMap<>();
    Set<String> undecided = new LinkedHashSet<>();
    for (ContentMatch m : layer.matches()) {
      if (!m.search().equals(searchName)) {
        continue;
      }
      Set<String> found = byContent(m.text());
      if (!found.isEmpty()) {
        kinds.computeIfAbsent(m.path(), k -> new LinkedHashSet<>()).addAll(found);
      } else if (m.truncated() && m.excerpts().isEmpty()) {
        undecided.add(m.path());
      }
    }
    for (Map.Entry<String, byte[]> c : layer.content().entrySet()) {
      String path = c.getKey();
      if (fileGlobs.stream().noneMatch(g -> g.matches(path)) || ignores.stream().anyMatch(g -> g.matches(path))) {
        continue;
      }
      byName(path, new String(c.getValue(), StandardCharsets.UTF_8), kinds.containsKey(path))
          .ifPresent(k -> kinds.computeIfAbsent(path, x -> new LinkedHashSet<>()).add(k));
    }
    kinds.forEach((path, found) -> out.add(new Violation(String.join("; ", found) + " in " + path + ", added by layer "
        + index + state(facts, path, index), Location.file(path, index), Map.of("path", path))));
    for (String path : undecided) {
      out.add(new Violation("cannot decide whether " + path + " (layer " + index + ") holds a secret: the layer's "
          + "capture budget ran out", Location.file(path, index), Map.of("path", path)));
    }
  }

  /** What the file's presence means now that later layers are applied. */
  private static String state(ImageFacts facts, String path, int layer) {
    Optional<FileEntry> now = facts.filesystem().get(path);
    if (now.isEmpty()) {
      return ": a later layer deleted it, but it is still in layer " + layer + " of the image";
    }
    if (now.get().layer() != layer) {
      return ": layer " + now.get().layer() + " replaced it, but the original is still in layer " + layer + " of the image";
    }
    return "";
  }

  /** The secrets that the excerpts of a content match show. */
  static Set<String> byContent(String text) {
    Set<String> out = new LinkedHashSet<>();
    boolean gcp = GCP_KEY.matcher(text).find() && GCP_TYPE.matcher(text).find();
    if (gcp) {
      out.add("a GCP service-account key");
    }
    Matcher pem = PEM_PRIVATE_KEY.matcher(text);
    while (pem.find()) {
      String type = pem.group(1) == null ? "" : pem.group(1).trim();
      out.add(switch (type) {
        case "" -> "a private key (PKCS#8)";
        case "OPENSSH" -> "an OpenSSH private key";
        case "PGP" -> "a PGP private key";
        case "ENCRYPTED" -> "an encrypted private key";
        default -> "a private key (" + type + ")";
      });
    }
    Matcher id = SecretText.AWS_KEY_ID.matcher(text);
    while (id.find()) {
      if (text.startsWith("EXAMPLE", id.end() - 7)) {
        continue; // AWS's documentation keys (AKIAIOSFODNN7EXAMPLE) appear in SDKs and docs
      }
      int from = Math.max(0, id.start() - AWS_SECRET_DISTANCE);
      int to = Math.min(text.length(), id.end() + AWS_SECRET_DISTANCE);
      Matcher secret = AWS_SECRET.matcher(text).region(from, to);
      while (secret.find()) {
        String s = secret.group();
        if (!s.chars().allMatch(c -> Character.isUpperCase(c) || Character.isDigit(c))
            && s.chars().anyMatch(Character::isUpperCase) && s.chars().anyMatch(Character::isLowerCase)
            && !s.endsWith("EXAMPLEKEY")) {
          out.add("an AWS access key " + SecretText.redact(id.group()) + " with its secret access key");
          break;
        }
      }
    }
    return out;
  }

  /** What a file found by name holds, if it holds a secret. */
  static Optional<String> byName(String path, String text, boolean alsoFoundByContent) {
    String name = Paths.basename(path);
    if (name.equals(".env") || name.startsWith(".env.")) {
      if (name.matches("\\.env\\.(example|sample|template|dist|defaults?)")) {
        return Optional.empty();
      }
      Set<String> keys = new LinkedHashSet<>();
      Matcher m = ENV_LINE.matcher(text);
      while (m.find()) {
        if (!m.group(1).startsWith("#") && SecretText.isConcreteValue(m.group(2).trim())) {
          keys.add(m.group(1));
        }
      }
      return keys.isEmpty() ? Optional.empty() : Optional.of("a " + name + " file setting " + String.join(", ", keys));
    }
    if (name.equals(".npmrc")) {
      Matcher m = NPM_TOKEN.matcher(text);
      return m.find() ? Optional.of("an .npmrc with an npm " + m.group(1) + " " + SecretText.redact(m.group(2)))
          : Optional.empty();
    }
    if (name.equals(".pypirc")) {
      return PYPI_PASSWORD.matcher(text).find() ? Optional.of("a .pypirc with a password") : Optional.empty();
    }
    if (name.equals(".netrc")) {
      return NETRC_PASSWORD.matcher(text).find() ? Optional.of("a .netrc with a password") : Optional.empty();
    }
    if (name.equals(".git-credentials")) {
      return SecretText.hasUrlCredentials(text) ? Optional.of("git credentials") : Optional.empty();
    }
    if (name.equals("config.json") && path.endsWith("/.docker/config.json")) {
      return DOCKER_AUTH.matcher(text).find() && text.contains("\"auths\"")
          ? Optional.of("Docker registry credentials (auths)") : Optional.empty();
    }
    if (name.equals("credentials") && path.endsWith("/.aws/credentials")) {
      return AWS_CREDENTIALS.matcher(text).find() ? Optional.of("an AWS credentials file") : Optional.empty();
    }
    if (name.startsWith("id_")) {
      // the content search already named the key's type when it is a PEM/OpenSSH key
      return alsoFoundByContent || text.isBlank() ? Optional.empty() : Optional.of("an SSH private key file");
    }
    return Optional.empty();
  }

  // ---- config and history --------------------------------------------------------------------

  private static void env(ImageFacts facts, List<Violation> out) {
    for (String kv : facts.config().env()) {
      int eq = kv.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = kv.substring(0, eq);
      String value = kv.substring(eq + 1);
      secretValue(key, value).ifPresent(why -> out.add(new Violation("ENV " + key + " holds " + why,
          Location.config("Env"), Map.of("key", key))));
    }
  }

  private static Optional<String> secretValue(String key, String value) {
    if (SecretText.isSecretKey(key) && SecretText.isConcreteValue(value)) {
      return Optional.of("a secret-looking value (" + SecretText.redact(value) + ")");
    }
    Matcher id = SecretText.AWS_KEY_ID.matcher(value);
    if (id.find() && !id.group().endsWith("EXAMPLE")) {
      return Optional.of("an AWS access key id (" + SecretText.redact(id.group()) + ")");
    }
    if (SecretText.hasUrlCredentials(value)) {
      return Optional.of("a URL with a password (" + SecretText.redactAll(value) + ")");
    }
    return Optional.empty();
  }

  private static void history(ImageFacts facts, List<Violation> out) {
    Set<String> env = new HashSet<>(facts.config().env());
    for (History.Step s : History.steps(facts)) {
      String text = s.createdBy();
      boolean buildArgs = text.trim().matches("^(RUN )?\\|\\d+\\s.*");
      String what = buildArgs ? "build argument" : s.instruction().map(i -> i.equals("ENV") || i.equals("ARG") ? i : "value")
          .orElse("value");
      Set<String> reported = new HashSet<>();
      List<String> covered = new ArrayList<>(); // values already reported, or reported through the config's Env
      for (Map.Entry<String, String> a : SecretText.assignments(text)) {
        String key = a.getKey();
        String value = a.getValue();
        if (what.equals("ENV") && env.contains(key + "=" + unquote(value))) {
          covered.add(value); // the config's Env holds it too: reported once, there
          continue;
        }
        Optional<String> why = secretValue(key, value);
        if (why.isPresent() && reported.add(key)) {
          covered.add(value);
          out.add(new Violation(what + " " + key + " holds " + why.get() + ", recorded in " + s.describe()
              + "'s created_by", s.location(), Map.of("key", key)));
        }
      }
      Matcher id = SecretText.AWS_KEY_ID.matcher(text);
      while (id.find()) {
        String keyId = id.group();
        if (!keyId.endsWith("EXAMPLE") && covered.stream().noneMatch(v -> v.contains(keyId)) && reported.add(keyId)) {
          out.add(new Violation("an AWS access key id (" + SecretText.redact(keyId) + ") is recorded in "
              + s.describe() + "'s created_by", s.location(), Map.of("key", "")));
        }
      }
    }
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }
}
