package io.imagegate.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tests for {@link Dockerfile#parse}: the parts of the syntax that decide which line an instruction is on. */
class DockerfileTest {

  private static List<Instruction> instructions(String text) {
    return Dockerfile.parse(text).instructions();
  }

  @Test
  void parse_multiStage_stagesWithNamesBasesAndLines() {
    Dockerfile d = Dockerfile.parse("""
        ARG GO=1.22
        FROM golang:${GO} AS Builder
        WORKDIR /src
        RUN go build -o /out/app .

        FROM scratch
        COPY --from=builder /out/app /app
        USER 10001
        ENTRYPOINT ["/app"]
        """);

    assertThat(d.globalArgs()).extracting(Instruction::line).containsExactly(1);
    assertThat(d.stages()).hasSize(2);
    Stage builder = d.stages().get(0);
    assertThat(builder.name()).contains("builder");
    assertThat(builder.base()).isEqualTo("golang:${GO}");
    assertThat(builder.from().line()).isEqualTo(2);
    assertThat(builder.instructions()).extracting(Instruction::keyword).containsExactly("WORKDIR", "RUN");
    Stage last = d.finalStage();
    assertThat(last.name()).isEmpty();
    assertThat(last.base()).isEqualTo("scratch");
    assertThat(last.from().line()).isEqualTo(6);
    assertThat(last.instructions()).extracting(Instruction::line).containsExactly(7, 8, 9);
    assertThat(last.instructions().get(0).flag("from")).contains("builder");
    assertThat(last.instructions().get(0).arguments()).isEqualTo("/out/app /app");
    assertThat(d.chain(last)).containsExactly(last);
  }

  @Test
  void chain_fromAnEarlierStage_includesItsInstructions() {
    Dockerfile d = Dockerfile.parse("""
        FROM debian:12 AS base
        RUN apt-get update
        FROM base AS tools
        RUN apt-get install -y curl
        FROM golang AS unrelated
        FROM TOOLS
        USER app
        """);

    assertThat(d.chain(d.finalStage())).extracting(Stage::index).containsExactly(0, 1, 3);
  }

  @Test
  void parse_continuations_joinedAndSpanningLines() {
    List<Instruction> in = instructions("""
        FROM debian
        RUN apt-get update && \\
            apt-get install -y \\
              curl   \\\t
            && rm -rf /var/lib/apt/lists/*
        USER app
        """);

    Instruction run = in.get(1);
    assertThat(run.line()).isEqualTo(2);
    assertThat(run.endLine()).isEqualTo(5);
    // as BuildKit joins them: escape and newline removed, later lines keep their indentation
    assertThat(run.arguments()).isEqualTo("apt-get update &&     apt-get install -y       curl       && rm -rf /var/lib/apt/lists/*");
    assertThat(run.text()).isEqualTo("RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*");
    assertThat(in.get(2).line()).isEqualTo(6);
  }

  @Test
  void parse_commentsAndBlankLinesInsideContinuation_areSkipped() {
    List<Instruction> in = instructions("""
        FROM debian
        RUN apt-get install -y \\
        # the network tools
            curl \\

            wget
        CMD ["sh"]
        """);

    assertThat(in.get(1).arguments()).isEqualTo("apt-get install -y     curl     wget");
    assertThat(in.get(1).endLine()).isEqualTo(6);
    assertThat(in.get(2).line()).isEqualTo(7);
  }

  @Test
  void parse_escapeDirective_backtickContinuesAndBackslashIsLiteral() {
    Dockerfile d = Dockerfile.parse("""
        # escape=`
        FROM mcr.microsoft.com/windows/servercore
        COPY testfile.txt c:\\
        RUN dir c:\\ `
            && echo done
        """);

    assertThat(d.escape()).isEqualTo('`');
    assertThat(d.directives()).containsEntry("escape", "`");
    List<Instruction> in = d.instructions();
    assertThat(in.get(1).arguments()).isEqualTo("testfile.txt c:\\");
    assertThat(in.get(1).endLine()).isEqualTo(3);
    assertThat(in.get(2).line()).isEqualTo(4);
    assertThat(in.get(2).text()).isEqualTo("RUN dir c:\\ && echo done");
  }

  @Test
  void parse_directives_onlyAtTheTop() {
    Dockerfile d = Dockerfile.parse("""
        # syntax=docker/dockerfile:1.7
        #  check = skip=all
        # escape=`

        FROM scratch
        """);
    assertThat(d.directives()).isEqualTo(Map.of("syntax", "docker/dockerfile:1.7", "check", "skip=all", "escape", "`"));

    // after a comment, a blank line or an instruction, "# escape=`" is a comment: \ still continues
    Dockerfile late = Dockerfile.parse("""
        # a comment first
        # escape=`
        FROM scratch
        COPY a \\
          /b
        """);
    assertThat(late.escape()).isEqualTo('\\');
    assertThat(late.directives()).isEmpty();
    assertThat(late.instructions().get(1).arguments()).isEqualTo("a   /b");
  }

  @Test
  void parse_badDirectives_failWithTheLine() {
    assertThatThrownBy(() -> Dockerfile.parse("# escape=x\nFROM scratch\n"))
        .isInstanceOf(DockerfileException.class).hasMessageContaining("escape");
    assertThatThrownBy(() -> Dockerfile.parse("# syntax=a\n# syntax=b\nFROM scratch\n"))
        .isInstanceOf(DockerfileException.class).hasMessageStartingWith("line 2:");
  }

  @Test
  void parse_heredocs_bodiesAndLinesAfterThem() {
    Dockerfile d = Dockerfile.parse("""
        # syntax=docker/dockerfile:1
        FROM debian
        RUN <<EOF
        apt-get update
        apt-get install -y curl
        EOF
        COPY <<-"CONF" /etc/app.conf
        \t\tkey=value
        \tCONF
        RUN python3 <<PY 3<<'OTHER' && echo "not <<HERE"
        print(1)
        PY
        x
        OTHER
        RUN cat <<< "here-string"
        USER app
        """);

    List<Instruction> in = d.instructions();
    Instruction run = in.get(1);
    assertThat(run.line()).isEqualTo(3);
    assertThat(run.endLine()).isEqualTo(6);
    assertThat(run.heredocs()).containsExactly(new Heredoc("EOF", "apt-get update\napt-get install -y curl\n", false, false));
    Instruction copy = in.get(2);
    assertThat(copy.line()).isEqualTo(7);
    assertThat(copy.heredocs()).containsExactly(new Heredoc("CONF", "key=value\n", true, true));
    assertThat(copy.arguments()).isEqualTo("<<-\"CONF\" /etc/app.conf");
    Instruction two = in.get(3);
    assertThat(two.line()).isEqualTo(10);
    assertThat(two.endLine()).isEqualTo(14);
    assertThat(two.heredocs()).extracting(Heredoc::name).containsExactly("PY", "OTHER");
    assertThat(in.get(4).heredocs()).isEmpty();
    assertThat(in.get(4).line()).isEqualTo(15);
    assertThat(in.get(5).line()).isEqualTo(16);
  }

  @Test
  void parse_unterminatedHeredoc_fails() {
    assertThatThrownBy(() -> Dockerfile.parse("FROM debian\nRUN <<EOF\necho hi\n"))
        .isInstanceOf(DockerfileException.class).hasMessage("line 2: here-document <<EOF is not terminated by a line 'EOF'");
  }

  @Test
  void parse_heredocOnlyOnRunCopyAdd() {
    Instruction cmd = instructions("FROM debian\nCMD cat <<EOF\nUSER x\n").get(1);

    assertThat(cmd.heredocs()).isEmpty();
    assertThat(cmd.endLine()).isEqualTo(2);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "CMD [\"/app\", \"--port\", \"80\"]     | true  | /app;--port;80",
      "ENTRYPOINT [\"/bin/sh\",\"-c\",\"x\"]  | true  | /bin/sh;-c;x",
      "RUN [\"apt-get\", \"install\"]         | true  | apt-get;install",
      "CMD /app --port 80                     | false | ",
      "CMD [/app]                             | false | ",
      "CMD [\"a\", 1]                         | false | ",
      "ENTRYPOINT [\"unterminated\"           | false | ",
      "COPY [\"a b\", \"/c d/\"]              | true  | a b;/c d/",
  })
  void parse_jsonVersusShellForm(String line, boolean exec, String argv) {
    Instruction i = instructions("FROM scratch\n" + line + "\n").get(1);

    assertThat(i.isExecForm()).isEqualTo(exec);
    if (exec) {
      assertThat(i.execForm()).contains(List.of(argv.split(";")));
    }
  }

  @Test
  void parse_flags_separatedFromArguments() {
    List<Instruction> in = instructions("""
        FROM --platform=$BUILDPLATFORM golang:1.22 AS build
        RUN --mount=type=cache,target=/root/.cache --network=none go build ./...
        COPY --chown=app:app --chmod=0755 --from=build /out/app /usr/local/bin/app
        HEALTHCHECK --interval=30s CMD ["/app", "health"]
        ENV --notaflag=1
        """);

    assertThat(in.get(0).flags()).containsExactly("--platform=$BUILDPLATFORM");
    assertThat(in.get(0).arguments()).isEqualTo("golang:1.22 AS build");
    assertThat(in.get(1).flags()).containsExactly("--mount=type=cache,target=/root/.cache", "--network=none");
    assertThat(in.get(1).arguments()).isEqualTo("go build ./...");
    assertThat(in.get(2).flag("chown")).contains("app:app");
    assertThat(in.get(2).flag("from")).contains("build");
    assertThat(in.get(2).arguments()).isEqualTo("/out/app /usr/local/bin/app");
    assertThat(in.get(3).flags()).containsExactly("--interval=30s");
    assertThat(in.get(4).flags()).isEmpty();
    assertThat(in.get(4).arguments()).isEqualTo("--notaflag=1");
  }

  @Test
  void parse_keywordsCaseInsensitive_crlfAndBom() {
    List<Instruction> in = instructions("\uFEFFfrom alpine as Base\r\nrun echo hi\r\nUser nobody\r\n");

    assertThat(in).extracting(Instruction::keyword).containsExactly("FROM", "RUN", "USER");
    assertThat(in).extracting(Instruction::line).containsExactly(1, 2, 3);
    assertThat(in.get(1).arguments()).isEqualTo("echo hi");
    assertThat(Dockerfile.parse("from alpine as Base\n").finalStage().name()).contains("base");
  }

  @Test
  void parse_indentedInstructionsAndComments() {
    List<Instruction> in = instructions("""
          # leading comment
          FROM alpine
            RUN echo hi   # not a comment: part of the command
        """);

    assertThat(in).extracting(Instruction::line).containsExactly(2, 3);
    assertThat(in.get(1).arguments()).isEqualTo("echo hi   # not a comment: part of the command");
  }

  @Test
  void parse_notADockerfile_failsWithTheLine() {
    assertThatThrownBy(() -> Dockerfile.parse("# only a comment\n"))
        .isInstanceOf(DockerfileException.class).hasMessageContaining("no FROM");
    assertThatThrownBy(() -> Dockerfile.parse("RUN echo\nFROM scratch\n"))
        .isInstanceOf(DockerfileException.class).hasMessageStartingWith("line 1:").hasMessageContaining("before the first FROM");
    assertThatThrownBy(() -> Dockerfile.parse("FROM a b\n"))
        .isInstanceOf(DockerfileException.class).hasMessageStartingWith("line 1:");
    assertThatThrownBy(() -> Dockerfile.parse("FROM scratch\n{\"not\": \"docker\"}\n"))
        .isInstanceOf(DockerfileException.class).hasMessageStartingWith("line 2:").hasMessageContaining("not an instruction");
  }

  @Test
  void parse_continuationAtEndOfFile_isAccepted() {
    List<Instruction> in = instructions("FROM scratch\nCOPY a /a \\\n");

    assertThat(in.get(1).arguments()).isEqualTo("a /a");
    assertThat(in.get(1).endLine()).isEqualTo(2);
  }
}
