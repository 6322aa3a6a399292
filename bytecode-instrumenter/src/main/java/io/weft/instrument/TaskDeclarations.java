package io.weft.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javassist.CtBehavior;
import javassist.CtClass;
import javassist.Modifier;
import javassist.bytecode.AnnotationsAttribute;
import javassist.bytecode.AttributeInfo;
import javassist.bytecode.ConstPool;
import javassist.bytecode.LocalVariableAttribute;
import javassist.bytecode.MethodInfo;
import javassist.bytecode.MethodParametersAttribute;
import javassist.bytecode.ParameterAnnotationsAttribute;
import javassist.bytecode.annotation.Annotation;
import javassist.bytecode.annotation.IntegerMemberValue;
import javassist.bytecode.annotation.MemberValue;
import javassist.bytecode.annotation.StringMemberValue;

/**
 * Checks the task declarations of a class before it is rewritten: direction annotations only on task
 * parameters, one direction per parameter, no write direction on a value, a body for every task. A wrong
 * declaration fails the class with a message that names the class, method and parameter.
 */
final class TaskDeclarations {
    static final String TASK = "io.weft.api.Task";
    static final Map<String, String> DIRECTIONS = Map.of(
            "io.weft.api.In", "@In",
            "io.weft.api.Out", "@Out",
            "io.weft.api.InOut", "@InOut",
            "io.weft.api.Concurrent", "@Concurrent",
            "io.weft.api.Commutative", "@Commutative");

    private TaskDeclarations() {}

    /**
     * Validates every method and constructor the class declares.
     *
     * @throws InstrumentationException naming the first wrong declaration
     */
    static void validate(CtClass type) {
        for (CtBehavior behavior : type.getDeclaredBehaviors()) {
            validate(type, behavior);
        }
    }

    /** A timeout as {@code @Task(timeout)} takes it: numbers with units, largest first ({@code 1h30m}, {@code 500ms}). */
    private static final java.util.regex.Pattern TIMEOUT = java.util.regex.Pattern.compile(
            "(?:\\d+d)?(?:\\d+h)?(?:\\d+m(?!s))?(?:\\d+(?:\\.\\d+)?s)?(?:\\d+ms)?");

    /** {@code @Task(retries, timeout)} must mean something: checked when the class loads, not when a task fails. */
    private static void validatePolicy(MethodInfo info, String where) {
        AnnotationsAttribute visible = (AnnotationsAttribute) info.getAttribute(AnnotationsAttribute.visibleTag);
        Annotation task = visible == null ? null : visible.getAnnotation(TASK);
        if (task == null) {
            return;
        }
        MemberValue retries = task.getMemberValue("retries");
        if (retries instanceof IntegerMemberValue && ((IntegerMemberValue) retries).getValue() < 0) {
            throw new InstrumentationException("@Task(retries = " + ((IntegerMemberValue) retries).getValue()
                    + ") on " + where + ": retries is how many more times a failed task is tried, 0 or more.");
        }
        MemberValue timeout = task.getMemberValue("timeout");
        if (timeout instanceof StringMemberValue) {
            String t = ((StringMemberValue) timeout).getValue().trim();
            if (!t.isEmpty() && (!TIMEOUT.matcher(t).matches() || t.replaceAll("[^1-9]", "").isEmpty())) {
                throw new InstrumentationException("@Task(timeout = \"" + t + "\") on " + where + ": expected a"
                        + " duration with units, longer than zero, such as \"500ms\", \"30s\", \"10m\", \"2h\" or"
                        + " \"1h30m\" (empty for no limit).");
            }
        }
    }

    private static void validate(CtClass type, CtBehavior behavior) {
        MethodInfo info = behavior.getMethodInfo2();
        boolean isTask = behavior.hasAnnotation(TASK);
        List<String> params = Descriptors.parameters(info.getDescriptor());
        ParameterAnnotationsAttribute attribute =
                (ParameterAnnotationsAttribute) info.getAttribute(ParameterAnnotationsAttribute.visibleTag);
        Annotation[][] annotations = attribute == null ? new Annotation[0][] : attribute.getAnnotations();
        String where = type.getName() + "." + (behavior.getName().equals(type.getSimpleName())
                ? "<init>" : behavior.getName()) + behavior.getSignature();
        if (isTask && (Modifier.isAbstract(behavior.getModifiers()) || Modifier.isNative(behavior.getModifiers()))) {
            throw new InstrumentationException("@Task method " + where + " has no body: a task must be a concrete "
                    + "method (abstract and native methods cannot be tasks).");
        }
        if (isTask) {
            validatePolicy(info, where);
        }
        // javac may omit annotations of synthetic leading parameters (inner-class constructors): align from the end.
        int offset = params.size() - annotations.length;
        for (int a = 0; a < annotations.length; a++) {
            int p = a + offset;
            List<String> found = new ArrayList<>();
            for (Annotation an : annotations[a]) {
                String d = DIRECTIONS.get(an.getTypeName());
                if (d != null) {
                    found.add(d);
                }
            }
            if (found.isEmpty()) {
                continue;
            }
            String param = describeParameter(info, behavior, p, params.get(p));
            if (!isTask) {
                throw new InstrumentationException(found.get(0) + " on " + param + " of " + where
                        + ", which is not a @Task: direction annotations only apply to parameters of task methods. "
                        + "Add @Task to the method or remove the annotation.");
            }
            if (found.size() > 1) {
                throw new InstrumentationException(param + " of task " + where + " has more than one direction ("
                        + String.join(", ", found) + "): give it exactly one.");
            }
            String direction = found.get(0);
            String t = params.get(p);
            boolean value = Descriptors.isPrimitive(t) || Descriptors.VALUE_TYPES.contains(t) || isEnum(type, t);
            if (value && !direction.equals("@In")) {
                throw new InstrumentationException(direction + " cannot hold on " + param + " of task " + where
                        + ": " + article(Descriptors.readable(t)) + " " + Descriptors.readable(t) + " is passed by value, so a task cannot write it back to "
                        + "the caller. Only @In is allowed here; return the new value from the task instead, or wrap "
                        + "it in an object.");
            }
        }
    }

    private static String article(String word) {
        return "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an" : "a";
    }

    private static boolean isEnum(CtClass declaring, String type) {
        if (type.charAt(0) != 'L') {
            return false;
        }
        CtClass c = declaring.getClassPool().getOrNull(type.substring(1, type.length() - 1).replace('/', '.'));
        return c != null && c.isEnum();
    }

    private static String describeParameter(MethodInfo info, CtBehavior behavior, int index, String type) {
        String name = parameterName(info, behavior, index);
        return "parameter " + (index + 1) + (name != null ? " '" + name + "'" : "") + " ("
                + Descriptors.readable(type) + ")";
    }

    private static String parameterName(MethodInfo info, CtBehavior behavior, int index) {
        AttributeInfo mp = info.getAttribute(MethodParametersAttribute.tag);
        ConstPool cp = info.getConstPool();
        if (mp instanceof MethodParametersAttribute m && index < m.size() && m.name(index) != 0) {
            return cp.getUtf8Info(m.name(index));
        }
        if (info.getCodeAttribute() != null) {
            LocalVariableAttribute lv = (LocalVariableAttribute)
                    info.getCodeAttribute().getAttribute(LocalVariableAttribute.tag);
            if (lv != null) {
                int slot = Modifier.isStatic(behavior.getModifiers()) ? 0 : 1;
                List<String> params = Descriptors.parameters(info.getDescriptor());
                for (int i = 0; i < index; i++) {
                    slot += Descriptors.size(params.get(i));
                }
                for (int i = 0; i < lv.tableLength(); i++) {
                    if (lv.index(i) == slot && lv.startPc(i) == 0) {
                        return lv.variableName(i);
                    }
                }
            }
        }
        return null;
    }
}
