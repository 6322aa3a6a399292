package io.weft.benchmarks;

/**
 * Start-up and shut-down only: a program with no task. Usage: {@code Hello}.
 */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
