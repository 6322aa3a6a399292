package io.weft.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Small helpers over JVM type descriptors, so the instrumenter can reason about types without loading them. */
final class Descriptors {
    /** Types whose instances are plain values: never task data, never waited for. */
    static final Set<String> VALUE_TYPES = Set.of(
            "Ljava/lang/String;", "Ljava/lang/Integer;", "Ljava/lang/Long;", "Ljava/lang/Short;",
            "Ljava/lang/Byte;", "Ljava/lang/Character;", "Ljava/lang/Boolean;", "Ljava/lang/Float;",
            "Ljava/lang/Double;", "Ljava/lang/Class;", "Ljava/math/BigInteger;", "Ljava/math/BigDecimal;");

    private Descriptors() {}

    /** The parameter type descriptors of a method descriptor, in order. */
    static List<String> parameters(String methodDescriptor) {
        List<String> out = new ArrayList<>();
        int i = 1;
        while (methodDescriptor.charAt(i) != ')') {
            int start = i;
            while (methodDescriptor.charAt(i) == '[') {
                i++;
            }
            if (methodDescriptor.charAt(i) == 'L') {
                i = methodDescriptor.indexOf(';', i);
            }
            i++;
            out.add(methodDescriptor.substring(start, i));
        }
        return out;
    }

    /** The return type descriptor of a method descriptor. */
    static String returnType(String methodDescriptor) {
        return methodDescriptor.substring(methodDescriptor.indexOf(')') + 1);
    }

    static boolean isReference(String type) {
        return type.charAt(0) == 'L' || type.charAt(0) == '[';
    }

    /** Whether an operand of this static type may be task data that the program has to wait for. */
    static boolean mayBeData(String type) {
        return isReference(type) && !VALUE_TYPES.contains(type);
    }

    static boolean isPrimitive(String type) {
        return type.length() == 1;
    }

    /** A type for people: {@code int}, {@code java.lang.String}, {@code double[]}. */
    static String readable(String type) {
        int dims = 0;
        while (type.charAt(dims) == '[') {
            dims++;
        }
        String base = type.substring(dims);
        String name = switch (base.charAt(0)) {
            case 'Z' -> "boolean";
            case 'B' -> "byte";
            case 'C' -> "char";
            case 'S' -> "short";
            case 'I' -> "int";
            case 'J' -> "long";
            case 'F' -> "float";
            case 'D' -> "double";
            case 'V' -> "void";
            default -> base.substring(1, base.length() - 1).replace('/', '.');
        };
        return name + "[]".repeat(dims);
    }

    /** Local-variable slots an operand of this type takes. */
    static int size(String type) {
        return type.equals("J") || type.equals("D") ? 2 : 1;
    }
}
