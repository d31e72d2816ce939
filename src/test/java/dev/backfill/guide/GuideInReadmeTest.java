package dev.backfill.guide;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README's "Write your own job" shows the code that is compiled and tested here, character for character. */
class GuideInReadmeTest {

    private static final Path PROJECT = Path.of(System.getProperty("basedir", "."));
    private static final Path GUIDE = PROJECT.resolve("src/test/java/dev/backfill/guide");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @Test
    void readme_showsTheGuideJobAndItsTest_exactlyAsInTheRepo() throws IOException {
        String readme = Files.readString(PROJECT.resolve("README.md"));

        List<String> blocks = javaBlocks(section(readme, "## Write your own job"));


        assertThat(blocks).containsExactly(Files.readString(GUIDE.resolve("HourlyPurchases.java")),
                Files.readString(GUIDE.resolve("HourlyPurchasesTest.java")));
    }

    @Test
    void theGuideJob_isWellUnder60Lines() throws IOException {
        assertThat(Files.readAllLines(GUIDE.resolve("HourlyPurchases.java"))).hasSizeLessThanOrEqualTo(55);
    }

    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("README has a section " + heading).isNotNegative();
        int end = readme.indexOf("\n## ", start + heading.length() + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    private static List<String> javaBlocks(String text) {
        List<String> blocks = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(text);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return blocks;
    }
}
