package io.imagegate.build;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes the benchmark's image as an OCI layout: by default about 1.5 GB uncompressed in
 * 10 gzip layers of about 10,000 files each — mostly small text files (which compress) and, in
 * each layer, two large random files (which don't), as a real application image mixes them.
 * Layers stream to disk; memory stays small whatever the size.
 *
 * <pre>java -cp imagegate.jar io.imagegate.build.BenchImage DIR [LAYERS] [FILES_PER_LAYER] [LARGE_MB_PER_LAYER]</pre>
 */
public final class BenchImage {
  private BenchImage() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: BenchImage DIR [LAYERS=10] [FILES_PER_LAYER=10000] [LARGE_MB_PER_LAYER=110]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int layers = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int files = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    long largeMb = args.length > 3 ? Long.parseLong(args[3]) : 110;
    ImageBuilder b = ImageBuilder.image();
    for (int i = 0; i < layers; i++) {
      int layer = i;
      b.layer(l -> {
        l.createdBy("RUN build step " + layer);
        for (int f = 0; f < files; f++) {
          // 1..7 kB of text, spread over directories like a source tree
          long size = 1_000 + ((f * 7919L + layer * 104729L) % 6_000);
          l.textFile("/opt/app/l" + layer + "/d" + (f % 100) + "/file" + f + ".txt", size, 0644, layer * 1_000_003L + f);
        }
        l.randomFile("/opt/app/l" + layer + "/blob-a.bin", largeMb * 1_000_000 / 2, 0644, layer * 2L);
        l.randomFile("/opt/app/l" + layer + "/blob-b.bin", largeMb * 1_000_000 / 2, 0755, layer * 2L + 1);
      });
    }
    b.user("1000").entrypoint("/opt/app/l0/blob-b.bin");
    System.out.println(b.writeOciLayoutStreaming(dir, "bench"));
  }
}
