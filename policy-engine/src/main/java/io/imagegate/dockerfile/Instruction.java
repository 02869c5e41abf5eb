package io.imagegate.dockerfile;

import java.util.List;
import java.util.Optional;

/**
 * One Dockerfile instruction, its line continuations joined.
 *
 * @param keyword upper case, e.g. {@code RUN}
 * @param arguments what follows the keyword and its flags, continuations joined as the builder
 *     joins them (the escape character and the line break removed, later lines keeping their
 *     leading whitespace)
 * @param flags the {@code --name=value} flags before the arguments ({@code FROM}, {@code RUN},
 *     {@code COPY}, {@code ADD}, {@code HEALTHCHECK}), as written
 * @param execForm the arguments as a JSON array of strings ("exec form") when they are one, for
 *     the instructions that accept it ({@code RUN CMD ENTRYPOINT SHELL COPY ADD VOLUME})
 * @param line the 1-based line the instruction starts on
 * @param endLine the last line of the instruction, including continuations and here-documents
 */
public record Instruction(
    String keyword, String arguments, List<String> flags, Optional<List<String>> execForm, List<Heredoc> heredocs,
    int line, int endLine) {

  public Instruction {
    flags = List.copyOf(flags);
    execForm = execForm.map(List::copyOf);
    heredocs = List.copyOf(heredocs);
  }

  /** Whether the arguments are in exec (JSON array) form. */
  public boolean isExecForm() {
    return execForm.isPresent();
  }

  /** The value of flag {@code --name} ({@code --name=value}), if given. */
  public Optional<String> flag(String name) {
    String prefix = "--" + name + "=";
    return flags.stream().filter(f -> f.startsWith(prefix)).map(f -> f.substring(prefix.length())).findFirst();
  }

  /**
   * The instruction on one line as people read it: keyword, flags and arguments with every run
   * of whitespace collapsed to one space, e.g. {@code RUN apt-get update && apt-get install -y curl}.
   * Here-document bodies are left out.
   */
  public String text() {
    StringBuilder sb = new StringBuilder(keyword);
    for (String f : flags) {
      sb.append(' ').append(f);
    }
    if (!arguments.isBlank()) {
      sb.append(' ').append(arguments);
    }
    return Text.collapse(sb.toString());
  }

  @Override
  public String toString() {
    return line + ": " + text();
  }
}
