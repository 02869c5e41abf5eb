package io.imagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagegate.build.SeedImages;
import io.imagegate.dockerfile.Dockerfile;
import io.imagegate.dockerfile.DockerfileMapper;
import io.imagegate.facts.LayerFacts;
import io.imagegate.image.Digest;
import io.imagegate.image.ImageConfig;
import io.imagegate.policy.Location;
import io.imagegate.policy.Severity;
import io.imagegate.report.Finding;
import io.imagegate.report.ImageReport;
import io.imagegate.report.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's report examples: {@code examples/python-fat.Dockerfile} still matches the demo image it describes. */
class ExamplesTest {

  @Test
  void pythonFatDockerfile_matchesTheDemoImage_lineByLayer() throws IOException {
    ImageConfig config = ImageConfig.parse(SeedImages.fatPython().configBytes(), "python-fat");
    int layers = (int) config.history().stream().filter(h -> !h.emptyLayer()).count();
    List<LayerFacts> facts = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      Digest d = config.diffIds().get(i);
      facts.add(new LayerFacts(i, d, Optional.empty(), 0, 0, 0, 0, 0, Optional.empty()));
      findings.add(new Finding("r", "t", Severity.ERROR, "layer " + i, Location.file("/f" + i, i),
          Optional.of(new Finding.LayerRef(i, d, Optional.empty(), ""))));
    }
    findings.add(new Finding("non-root-user", "required-user", Severity.ERROR, "root", Location.config("User"), Optional.empty()));
    ImageReport image = new ImageReport("demo/python-fat", "demo/python-fat", Optional.empty(), Optional.empty(),
        Optional.empty(), 0, 0, 0, facts, findings, Optional.empty(), Verdict.FAIL, Optional.of(config), Duration.ZERO);
    List<String> warnings = new ArrayList<>();

    DockerfileMapper mapper = new DockerfileMapper(Dockerfile.read(Path.of("../examples/python-fat.Dockerfile")),
        "examples/python-fat.Dockerfile");
    List<Finding> mapped = mapper.apply(image, warnings::add).findings();

    assertThat(warnings).isEmpty();
    // base, RUN apt-get, RUN configure, COPY requirements.txt, RUN pip install, COPY . .; USER: none, the FROM
    assertThat(mapped).extracting(f -> f.source().orElseThrow().line()).containsExactly(5, 6, 7, 9, 10, 11, 5);
    assertThat(mapped).allSatisfy(f -> assertThat(f.source().orElseThrow().note()).isEmpty());
  }
}
