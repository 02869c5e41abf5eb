package io.imagegate.dockerfile;

/**
 * A here-document of a {@code RUN}, {@code COPY} or {@code ADD}: {@code <<EOF}, {@code <<-EOF}
 * (leading tabs stripped), {@code <<"EOF"} or {@code <<'EOF'} (no expansion).
 *
 * @param content the lines between the marker and the terminator, each ending in a newline
 */
public record Heredoc(String name, String content, boolean stripTabs, boolean quoted) {}
