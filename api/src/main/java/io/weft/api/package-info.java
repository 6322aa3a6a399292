/**
 * The whole user-facing surface of Weft.
 *
 * <p>Mark methods with {@link io.weft.api.Task}, say how each parameter is used with {@link io.weft.api.In}
 * (the default), {@link io.weft.api.Out}, {@link io.weft.api.InOut}, {@link io.weft.api.Concurrent} or
 * {@link io.weft.api.Commutative}, and run the program with {@code -javaagent:weft-agent.jar}. Every call to a
 * task method then becomes an asynchronous task; the main program waits only when it touches a result.
 * Without the agent the same program runs sequentially and prints the same result: every class here is
 * then either inert or a direct call.
 *
 * <p>The facade {@link io.weft.api.Weft} offers explicit synchronisation ({@code barrier}, {@code waitOn},
 * {@code openFile}, {@code getFile}, {@code deleteFile}) and task groups.
 */
package io.weft.api;
