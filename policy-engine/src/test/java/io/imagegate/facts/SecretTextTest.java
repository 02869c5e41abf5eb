package io.imagegate.facts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link SecretText}. */
class SecretTextTest {
  @ParameterizedTest(name = "{0} secret by name: {1}")
  @CsvSource({
      "DB_PASSWORD, true", "NPM_TOKEN, true", "AWS_SECRET_ACCESS_KEY, true", "STRIPE_API_KEY, true", "apikey, true",
      "GITHUB_AUTH, true", "DB_PWD, true", "GOOGLE_CREDENTIALS, true",
      "PWD, false", "PATH, false", "GPG_KEY, false", "TOKENIZERS_PARALLELISM, false", "DB_PASSWORD_FILE, false",
      "AWS_ACCESS_KEY_ID, false", "SECRETS_DIR, false", "AUTHOR, false"})
  void isSecretKey_table(String key, boolean secret) {
    assertThat(SecretText.isSecretKey(key)).isEqualTo(secret);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"AKIAQWERTYUIOPASDFGH, AKIA…", "hunter2, hu…", "ab, …", "'', …"})
  void redact_showsAtMostFourCharacters(String value, String redacted) {
    assertThat(SecretText.redact(value)).isEqualTo(redacted);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '#', value = {
      "|2 NPM_TOKEN=npm_abcdefghijklmnop A=b /bin/sh -c npm ci#|2 NPM_TOKEN=npm_… A=b /bin/sh -c npm ci",
      "ENV PASSWORD=\"hunter2 hunter2\"#ENV PASSWORD=hunt…",
      "RUN git clone https://ci:tok3ntok3ntok3n@github.com/x#RUN git clone https://ci:tok3…@github.com/x",
      "export KEY=AKIAQWERTYUIOPASDFGH#export KEY=AKIA…",
      "ENV TOKEN=$FROM_ARG PATH=/usr/bin#ENV TOKEN=$FROM_ARG PATH=/usr/bin"})
  void redactAll_hidesValuesKeepsTheRest(String text, String redacted) {
    assertThat(SecretText.redactAll(text)).isEqualTo(redacted);
  }
}
