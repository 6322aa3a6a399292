package io.weft.api.spi;

import java.lang.ref.WeakReference;

/**
 * A task method as seen at an instrumented call site: its declaring class, name and JVM descriptor, and the class
 * loader that loaded the calling class (used to resolve the method when it first runs).
 *
 * @param id the site id embedded in the generated code
 * @param owner the binary name of the class named at the call site
 * @param name the method name
 * @param descriptor the JVM method descriptor
 * @param isStatic whether the method is static
 * @param loader the calling class's loader; weakly held so the runtime never pins an application loader
 */
public record TaskSite(
        int id, String owner, String name, String descriptor, boolean isStatic, WeakReference<ClassLoader> loader) {

    /** The method as {@code SimpleClassName.method}, the name used in messages. */
    public String displayName() {
        return owner.substring(owner.lastIndexOf('.') + 1).replace('$', '.') + "." + name;
    }
}
