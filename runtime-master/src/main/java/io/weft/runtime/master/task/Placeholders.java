package io.weft.runtime.master.task;

import io.weft.api.spi.Intercept;
import io.weft.runtime.master.gateway.Encoded;
import io.weft.runtime.master.gateway.RemoteValue;
import io.weft.runtime.worker.objects.ObjectStates;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What a task call returns to the program before the task has run.
 *
 * <p>For a concrete class: an instance made without running a constructor, into which the task's result is
 * transferred when it ends — the program keeps one reference throughout. For an interface: a proxy that
 * delegates to the result. Everything else (primitives, boxed values, strings, enums, records, arrays, abstract
 * classes) cannot stand in for a value not yet computed, so such calls are synchronous.
 */
public final class Placeholders {
    public enum Kind {
        /** A {@code void} task. */
        NONE,
        /** The call waits for the task and returns its value. */
        SYNCHRONOUS,
        /** An instance of the return type, filled when the task ends. */
        INSTANCE,
        /** A proxy implementing the (interface) return type. */
        PROXY
    }

    private Placeholders() {}

    public static Kind kindOf(Class<?> type) {
        if (type == void.class) {
            return Kind.NONE;
        }
        if (type.isInterface()) {
            return Kind.PROXY;
        }
        if (type.isPrimitive() || type.isArray() || type.isEnum() || type.isRecord() || type == String.class
                || Number.class.isAssignableFrom(type) || type == Boolean.class || type == Character.class
                || type == Object.class || type == Class.class || type == BigInteger.class
                || type == BigDecimal.class || Modifier.isAbstract(type.getModifiers())
                || !ObjectStates.canTransfer(type)) {
            return Kind.SYNCHRONOUS;
        }
        return Kind.INSTANCE;
    }

    /** A placeholder for a call returning {@code type}, of kind {@code INSTANCE} or {@code PROXY}. */
    public static Object create(Class<?> type, Kind kind) {
        if (kind == Kind.PROXY) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, new Forwarder());
        }
        return ObjectStates.allocate(type);
    }

    /**
     * Why {@code result} cannot fill {@code placeholder}, or {@code null} if it can. Checked when the task ends,
     * so that a bad result fails the task itself.
     */
    public static String whyNot(Object placeholder, Object result) {
        if (result == null) {
            return "the task returned null, which a placeholder of " + placeholderType(placeholder)
                    + " cannot stand for; return an object, or make the task return a primitive or an Optional";
        }
        // Kept by a worker, or still serialised: checked by its class name, fetched or decoded when needed.
        String className = result instanceof RemoteValue r ? r.className()
                : result instanceof Encoded e ? e.className() : null;
        if (className != null || result instanceof Encoded) {
            return isProxy(placeholder) || className == null || className.equals(placeholder.getClass().getName())
                    ? null : "the task returned a " + className + " but its declared return type is "
                    + placeholder.getClass().getName() + ", whose placeholder cannot become a subclass; declare the"
                    + " exact class or an interface as the return type";
        }
        if (!isProxy(placeholder) && result.getClass() != placeholder.getClass()) {
            return "the task returned a " + result.getClass().getName() + " but its declared return type is "
                    + placeholder.getClass().getName() + ", whose placeholder cannot become a subclass; declare the"
                    + " exact class or an interface as the return type";
        }
        return null;
    }

    public static boolean isProxy(Object o) {
        return Proxy.isProxyClass(o.getClass()) && Proxy.getInvocationHandler(o) instanceof Forwarder;
    }

    /** The object an interface placeholder stands for (once filled), or {@code o} itself. */
    public static Object unwrap(Object o) {
        while (o != null && isProxy(o)) {
            Object target = ((Forwarder) Proxy.getInvocationHandler(o)).target;
            if (target == null) {
                return o;
            }
            o = target;
        }
        return o;
    }

    /** Makes {@code home} — a placeholder, or an object whose latest version is a copy — hold {@code latest}. */
    public static void fill(Object home, Object latest) {
        String problem = whyNot(home, latest);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        if (isProxy(home)) {
            ((Forwarder) Proxy.getInvocationHandler(home)).target = unwrap(latest);
            return;
        }
        ObjectStates.transfer(latest, home);
    }

    private static String placeholderType(Object placeholder) {
        return Proxy.isProxyClass(placeholder.getClass())
                ? placeholder.getClass().getInterfaces()[0].getName() : placeholder.getClass().getName();
    }

    /** The handler of interface placeholders: waits for the result on first use, then forwards every call. */
    public static final class Forwarder implements InvocationHandler {
        volatile Object target;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object t = target;
            if (t == null) {
                Intercept.use(proxy);
                t = target;
                if (t == null) {
                    throw new IllegalStateException("a task result was used before its task ended, from a task"
                            + " thread: pass it to the task as a parameter so the runtime can order the two");
                }
            }
            try {
                if (!method.canAccess(t)) {
                    method.setAccessible(true); // a package-private interface of the application
                }
                return method.invoke(t, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
