package io.weft.wire.transfer;

import java.lang.reflect.Method;

/** A method's JVM descriptor, which names one overload exactly on both sides of the wire. */
public final class Descriptors {
    private Descriptors() {}

    /** The descriptor of {@code m}, as in a class file: {@code (I[Ljava/lang/String;)V}. */
    public static String of(Method m) {
        StringBuilder b = new StringBuilder("(");
        for (Class<?> p : m.getParameterTypes()) {
            append(b, p);
        }
        b.append(')');
        append(b, m.getReturnType());
        return b.toString();
    }

    private static void append(StringBuilder b, Class<?> type) {
        if (type.isArray()) {
            b.append(type.getName().replace('.', '/'));
        } else if (type.isPrimitive()) {
            b.append(switch (type.getName()) {
                case "int" -> 'I';
                case "long" -> 'J';
                case "double" -> 'D';
                case "float" -> 'F';
                case "boolean" -> 'Z';
                case "byte" -> 'B';
                case "char" -> 'C';
                case "short" -> 'S';
                default -> 'V';
            });
        } else {
            b.append('L').append(type.getName().replace('.', '/')).append(';');
        }
    }
}
