package dev.backfill.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation YAML template into plain maps and lists, turning each short-form intrinsic function into
 * its long form, as CloudFormation does: {@code !Ref X} becomes {@code {"Ref": "X"}}, {@code !Sub s} becomes
 * {@code {"Fn::Sub": s}}, and {@code !GetAtt A.B} becomes {@code {"Fn::GetAtt": ["A", "B"]}}.
 */
final class CloudFormationYaml {

    private static final List<String> FUNCTIONS = List.of("Base64", "Cidr", "FindInMap", "GetAZs", "GetAtt",
            "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "If", "Equals", "Not", "And", "Or");

    private CloudFormationYaml() {
    }

    static Map<String, Object> load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read template " + file, e);
        }
    }

    static Map<String, Object> parse(String yaml) {
        Object root = new Yaml(new IntrinsicConstructor()).load(yaml);
        if (!(root instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("A template is a YAML mapping, not " + root);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> template = (Map<String, Object>) map;
        return template;
    }

    private static final class IntrinsicConstructor extends SafeConstructor {

        IntrinsicConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new Intrinsic("Condition"));
            FUNCTIONS.forEach(name -> yamlConstructors.put(new Tag("!" + name), new Intrinsic("Fn::" + name)));
        }

        private final class Intrinsic extends AbstractConstruct {

            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                return Map.of(key, argument(node));
            }

            private Object argument(Node node) {
                if (node instanceof ScalarNode scalar) {
                    String value = constructScalar(scalar);
                    // The short form of GetAtt is "Resource.Attribute"; the attribute itself may contain dots.
                    return key.equals("Fn::GetAtt") ? List.of(value.split("\\.", 2)) : value;
                }
                if (node instanceof SequenceNode sequence) {
                    return constructSequence(sequence);
                }
                return constructMapping((MappingNode) node);
            }
        }
    }
}
