package io.imagegate.dockerfile;

import java.util.List;
import java.util.Optional;

/**
 * A build stage: its {@code FROM} and the instructions up to the next {@code FROM}.
 *
 * @param index 0-based, in file order
 * @param name the {@code AS} name, lower case as the builder compares it
 * @param base the image or earlier stage named by {@code FROM}, as written
 * @param instructions the stage's instructions after its {@code FROM}
 */
public record Stage(int index, Optional<String> name, String base, Instruction from, List<Instruction> instructions) {
  public Stage {
    instructions = List.copyOf(instructions);
  }
}
