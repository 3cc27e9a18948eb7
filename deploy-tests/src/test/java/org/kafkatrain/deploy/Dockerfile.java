package org.kafkatrain.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Dockerfile as its instructions (continuation lines joined, comments dropped), enough to check it. */
record Dockerfile(Path path, List<Instruction> instructions) {
    record Instruction(String keyword, String arguments) {}

    static Dockerfile read(Path path) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : Repo.read(path).split("\n", -1)) {
            String trimmed = raw.strip();
            if (line.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                line.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            line.append(trimmed);
            String text = line.toString().strip();
            line.setLength(0);
            int space = text.indexOf(' ');
            instructions.add(new Instruction(
                    text.substring(0, space).toUpperCase(),
                    text.substring(space + 1).strip()));
        }
        return new Dockerfile(path, instructions);
    }

    List<String> all(String keyword) {
        return instructions.stream()
                .filter(i -> i.keyword().equals(keyword))
                .map(Instruction::arguments)
                .toList();
    }

    Optional<String> last(String keyword) {
        List<String> all = all(keyword);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** The instructions of the last stage: what the image is made of. */
    Dockerfile finalStage() {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return new Dockerfile(path, instructions.subList(from, instructions.size()));
    }

    /** Names the final stage's ENV instructions set ({@code ENV A=1 B="x y"}). */
    List<String> envNames() {
        Pattern pair = Pattern.compile("(?:^|\\s)([A-Za-z_][A-Za-z0-9_]*)=(?:\"[^\"]*\"|\\S*)");
        List<String> names = new ArrayList<>();
        for (String env : finalStage().all("ENV")) {
            Matcher m = pair.matcher(env);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }
}
