package io.imagegate.rule;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.BuiltImage;
import io.imagegate.build.ImageBuilder;
import io.imagegate.report.Finding;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tests for {@link SecretsRule}. The keys and tokens here are made up; they only have the right shape. */
class SecretsRuleTest {
  private static final String RULE = "  - id: secrets\n    type: secrets\n";

  static final String BODY = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0";
  static final String RSA_KEY = "-----BEGIN RSA PRIVATE KEY-----\n" + BODY + "\n" + BODY + "\n-----END RSA PRIVATE KEY-----\n";
  static final String OPENSSH_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\n"
      + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n";
  static final String PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\n" + BODY + "\n-----END PUBLIC KEY-----\n";
  static final String CERT = "-----BEGIN CERTIFICATE-----\n" + BODY + "\n-----END CERTIFICATE-----\n";
  static final String AWS_ID = "AKIAQWERTYUIOPASDFGH";
  static final String AWS_SECRET = "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";

  private static List<String> messages(BuiltImage img) {
    List<String> m = RuleHarness.messages(img, RULE);
    assertThat(m).noneMatch(s -> s.contains(BODY.substring(0, 20)) || s.contains(AWS_SECRET) || s.contains(AWS_ID)
        || s.contains("hunter2") || s.contains("npm_abcdefghij"));
    return m;
  }

  @Test
  void evaluate_privateKeyInTheFinalFilesystem_isFound() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/app/server.key", RSA_KEY, 0600)).build();
    assertThat(messages(img)).containsExactly("a private key (RSA) in /app/server.key, added by layer 0");
  }

  @Test
  void evaluate_keyDeletedByALaterLayer_isStillFoundNamingItsLayer() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/app/main", "x", 0755))
        .layer(l -> l.createdBy("COPY . /src # buildkit").file("/src/deploy/id_ed25519", OPENSSH_KEY, 0600))
        .layer(l -> l.createdBy("/bin/sh -c rm -rf /src/deploy").whiteout("/src/deploy"))
        .build();
    List<Finding> f = RuleHarness.findings(img, RULE);
    assertThat(f).singleElement().satisfies(x -> {
      assertThat(x.message()).isEqualTo("an OpenSSH private key in /src/deploy/id_ed25519, added by layer 1: a later layer "
          + "deleted it, but it is still in layer 1 of the image");
      assertThat(x.layer()).get().satisfies(l -> assertThat(l.createdBy()).isEqualTo("COPY . /src # buildkit"));
    });
  }

  @Test
  void evaluate_keyOverwrittenByALaterLayer_isStillFound() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/app/key.pem", RSA_KEY, 0600))
        .layer(l -> l.file("/app/key.pem", "placeholder\n", 0600))
        .build();
    assertThat(messages(img)).containsExactly("a private key (RSA) in /app/key.pem, added by layer 0: layer 1 replaced it, "
        + "but the original is still in layer 0 of the image");
  }

  @Test
  void evaluate_caBundleCertificatesAndPublicKeys_areNotSecrets() {
    BuiltImage img = ImageBuilder.image().layer(l -> l
        .file("/etc/ssl/certs/ca-certificates.crt", CERT + CERT, 0644)
        .file("/usr/share/ca-certificates/mozilla/ISRG_Root_X1.crt", CERT, 0644)
        .file("/app/tls.crt", CERT, 0644)
        .file("/app/jwt.pub", PUBLIC_KEY, 0644)
        .file("/home/app/.ssh/id_rsa.pub", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 app@host\n", 0644)
        .file("/home/app/.ssh/authorized_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI app@host\n", 0644)).build();
    assertThat(messages(img)).isEmpty();
  }

  @Test
  void evaluate_testVectorsInPackagePaths_areIgnored_theSameKeyElsewhereIsNot() {
    BuiltImage img = ImageBuilder.image().layer(l -> l
        .file("/usr/lib/python3.11/test/certdata/keycert.pem", RSA_KEY + CERT, 0644)
        .file("/usr/local/lib/python3.12/site-packages/urllib3/tests/key.pem", RSA_KEY, 0644)
        .file("/etc/ssl/certs/bundle-with-key.pem", RSA_KEY, 0644)
        .file("/app/keycert.pem", RSA_KEY + CERT, 0644)).build();
    assertThat(messages(img)).containsExactly("a private key (RSA) in /app/keycert.pem, added by layer 0");
    assertThat(RuleHarness.messages(img, RULE + "    default-ignores: false\n")).hasSize(4);
    assertThat(RuleHarness.messages(img, RULE + "    ignore-paths: ['/app/**']\n")).isEmpty();
  }

  @Test
  void evaluate_mentionsOfPrivateKeysInCode_areNotKeys() {
    String code = "if line.startswith('-----BEGIN RSA PRIVATE KEY-----'):\n    raise ValueError('no private keys')\n";
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/app/check.py", code, 0644)).build();
    assertThat(messages(img)).isEmpty();
  }

  @Test
  void evaluate_awsKeyWithSecretNearby_isFound_aloneOrExampleIsNot() {
    BuiltImage img = ImageBuilder.image().layer(l -> l
        .file("/root/.aws/credentials", "[default]\naws_access_key_id = " + AWS_ID + "\naws_secret_access_key = " + AWS_SECRET + "\n", 0600)
        .file("/app/settings.py", "AWS_KEY = '" + AWS_ID.replace("AKIA", "ASIA") + "'\nAWS_SECRET = '" + AWS_SECRET + "'\n", 0644)
        .file("/app/ids.txt", "user key id " + AWS_ID + " (no secret here)\n" + "d".repeat(40) + "\n", 0644)
        .file("/app/docs.md", "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", 0644)).build();
    assertThat(messages(img)).containsExactly(
        "an AWS access key AKIA… with its secret access key; an AWS credentials file in /root/.aws/credentials, added by layer 0",
        "an AWS access key ASIA… with its secret access key in /app/settings.py, added by layer 0");
  }

  @Test
  void evaluate_gcpServiceAccountJson_isFound() {
    String json = "{\n  \"type\": \"service_account\",\n  \"project_id\": \"acme\",\n  \"private_key_id\": \"0123abcd\",\n"
        + "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n" + BODY + "\\n-----END PRIVATE KEY-----\\n\",\n"
        + "  \"client_email\": \"ci@acme.iam.gserviceaccount.com\"\n}\n";
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/app/gcp.json", json, 0600)
        .file("/app/other.json", "{\"private_key\": null}", 0644)).build();
    assertThat(messages(img)).containsExactly("a GCP service-account key in /app/gcp.json, added by layer 0");
  }

  @Test
  void evaluate_secretBearingFilesByName() {
    BuiltImage img = ImageBuilder.image().layer(l -> l
        .file("/app/.env", "# settings\nDB_HOST=db\nDB_PASSWORD=hunter2\nEMPTY=\n", 0644)
        .file("/app/.env.example", "DB_PASSWORD=changeme\n", 0644)
        .file("/root/.npmrc", "//registry.npmjs.org/:_authToken=npm_abcdefghijklmnopqrstuvwxyz0123456789\n", 0600)
        .file("/home/ci/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", 0600)
        .file("/root/.pypirc", "[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmc\n", 0600)
        .file("/root/.git-credentials", "https://ci:ghp_abcdefghijklmnop@github.com\n", 0600)
        .file("/root/.docker/config.json", "{\"auths\":{\"ghcr.io\":{\"auth\":\"Y2k6c2VjcmV0\"}}}", 0600)
        .file("/home/ci/.docker/config.json", "{\"auths\":{\"ghcr.io\":{}},\"credsStore\":\"desktop\"}", 0600)
        .file("/root/.ssh/id_rsa", "not a pem, but named like a private key\n", 0600)).build();
    assertThat(messages(img)).containsExactlyInAnyOrder(
        "a .env file setting DB_HOST, DB_PASSWORD in /app/.env, added by layer 0",
        "an .npmrc with an npm _authToken npm_… in /root/.npmrc, added by layer 0",
        "a .pypirc with a password in /root/.pypirc, added by layer 0",
        "git credentials in /root/.git-credentials, added by layer 0",
        "Docker registry credentials (auths) in /root/.docker/config.json, added by layer 0",
        "an SSH private key file in /root/.ssh/id_rsa, added by layer 0");
  }

  @Test
  void evaluate_secretEnvValues_redacted_plainSettingsAndReferencesPass() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/app", "x", 0755))
        .env("PATH=/usr/bin").env("GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D").env("PWD=/app")
        .env("AWS_SECRET_ACCESS_KEY=" + AWS_SECRET).env("DB_PASSWORD_FILE=/run/secrets/db").env("API_TOKEN=$TOKEN")
        .env("DATABASE_URL=postgres://app:hunter2hunter2@db:5432/app")
        .build();
    assertThat(messages(img)).containsExactly(
        "ENV AWS_SECRET_ACCESS_KEY holds a secret-looking value (wJal…)",
        "ENV DATABASE_URL holds a URL with a password (postgres://app:hunt…@db:5432/app)");
  }

  @Test
  void evaluate_buildArgsLeakedThroughHistory_areFoundAndRedactedEverywhere() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.file("/app", "x", 0755))
        .emptyHistory("ARG NPM_TOKEN")
        .layer(l -> l.createdBy("RUN |2 NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123 NODE_ENV=production /bin/sh -c npm ci # buildkit")
            .file("/app/node_modules/x", "x", 0644))
        .emptyHistory("/bin/sh -c #(nop)  ENV AWS_SECRET_ACCESS_KEY=" + AWS_SECRET)
        .env("AWS_SECRET_ACCESS_KEY=" + AWS_SECRET)
        .build();
    List<Finding> f = RuleHarness.findings(img, RULE);
    assertThat(f).extracting(Finding::message).containsExactly(
        "ENV AWS_SECRET_ACCESS_KEY holds a secret-looking value (wJal…)",
        "build argument NPM_TOKEN holds a secret-looking value (npm_…), recorded in history entry 2 (layer 1)'s created_by");
    assertThat(f.get(1).layer()).get().satisfies(l -> assertThat(l.createdBy())
        .isEqualTo("RUN |2 NPM_TOKEN=npm_… NODE_ENV=production /bin/sh -c npm ci # buildkit"));
  }

  @Test
  void evaluate_checkSwitches_bothSides() {
    BuiltImage img = ImageBuilder.image()
        .layer(l -> l.createdBy("|1 GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz /bin/sh -c make").file("/app", "x", 0755))
        .env("SECRET_KEY=abcdefghijklmnop")
        .build();
    assertThat(RuleHarness.messages(img, RULE)).hasSize(2);
    assertThat(RuleHarness.messages(img, RULE + "    check-env: false\n    check-history: false\n")).isEmpty();
  }

  @Test
  void evaluate_filesOverTheSizeLimit_areNotSearched() {
    BuiltImage img = ImageBuilder.image().layer(l -> l.file("/app/key.pem", RSA_KEY, 0600)).build();
    assertThat(RuleHarness.messages(img, RULE + "    max-file-size: 100\n")).isEmpty();
    assertThat(RuleHarness.messages(img, RULE + "    max-file-size: 1kB\n")).hasSize(1);
  }

  @Test
  void configure_badParameters_areLoadErrors() {
    assertThat(RuleHarness.loadError(RULE + "    max-file-size: 1GB\n")).contains("expected a size from 1 byte to 64MiB");
    assertThat(RuleHarness.loadError(RULE + "    ignore-paths: ['/app/[']\n")).contains("bad glob");
  }
}
