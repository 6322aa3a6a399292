package io.weft.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.weft.api.spi.Intercept;
import io.weft.api.spi.TaskSite;
import io.weft.api.spi.TaskSites;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour of instrumented code: the samples in {@code weftsamples} are rewritten by {@link ClassInstrumenter},
 * defined in a fresh {@link SampleLoader} and run against a {@link TestingRuntime} that records what they ask of
 * it.
 */
class ClassInstrumenterTest {
    private static final String BLOCK = "weftsamples.Block";
    private static final String CALLS = "weftsamples.Calls";
    private static final String APP = "weftsamples.App";

    private TestingRuntime runtime;
    private SampleLoader loader;

    @BeforeEach
    void installTestingRuntime() {
        Intercept.uninstall();
        SampleJournal.clear();
        runtime = new TestingRuntime();
        loader = new SampleLoader(new ClassInstrumenter(TaskSites::register, APP));
        Intercept.install(runtime);
    }

    @AfterEach
    void uninstallTestingRuntime() {
        Intercept.uninstall();
    }

    // ---- task call sites -------------------------------------------------------------------------------------

    @Test
    void staticTaskCall_becomesSubmission() throws Throwable {
        Object b = block(1.0);

        call(CALLS, "callStaticTask", b);

        assertThat(runtime.submissions).hasSize(1);
        TestingRuntime.Submission s = runtime.submissions.get(0);
        assertThat(s.name()).isEqualTo("scale");
        assertThat(s.receiver()).isNull();
        assertThat(s.args()).hasSize(2);
        assertThat(s.args().get(0)).isSameAs(b);
        assertThat(s.args().get(1)).isEqualTo(2.0);
        TaskSite site = s.site();
        assertThat(site.owner()).isEqualTo(BLOCK);
        assertThat(site.descriptor()).isEqualTo("(Lweftsamples/Block;D)V");
        assertThat(site.isStatic()).isTrue();
        assertThat(site.loader().get()).isSameAs(loader);
        assertThat(value(b)).as("INLINE makes the plain call proceed").isEqualTo(2.0);
    }

    @Test
    void staticTaskCall_isNotRunInlineWhenRuntimeTakesIt() throws Throwable {
        runtime.answer("scale", null);
        Object b = block(1.0);

        call(CALLS, "callStaticTask", b);

        assertThat(runtime.submissions).extracting(TestingRuntime.Submission::name).containsExactly("scale");
        assertThat(value(b)).as("the runtime took the task: the caller must not run it too").isEqualTo(1.0);
    }

    @Test
    void instanceTaskCall_becomesSubmissionWithReceiver() throws Throwable {
        Object target = block(1.0);
        Object other = block(2.0);

        call(CALLS, "callInstanceTask", target, other);

        assertThat(runtime.submissions).hasSize(1);
        TestingRuntime.Submission s = runtime.submissions.get(0);
        assertThat(s.name()).isEqualTo("add");
        assertThat(s.receiver()).isSameAs(target);
        assertThat(s.args()).containsExactly(other);
        assertThat(s.site().isStatic()).isFalse();
        assertThat(s.site().descriptor()).isEqualTo("(Lweftsamples/Block;)V");
        assertThat(value(target)).isEqualTo(3.0);
    }

    @Test
    void inheritedTaskCall_isSubmittedAsTheDeclaringClassTask() throws Throwable {
        Object target = loader.loadClass("weftsamples.SubBlock").getConstructor(double.class).newInstance(1.0);
        Object other = block(2.0);

        call(CALLS, "callInheritedTask", target, other);

        assertThat(runtime.submissions).hasSize(1);
        assertThat(runtime.submissions.get(0).site().owner()).isEqualTo(BLOCK);
        assertThat(runtime.submissions.get(0).receiver()).isSameAs(target);
    }

    @Test
    void taskCallInLambdaBody_becomesSubmission() throws Throwable {
        Object b = block(1.0);

        call(CALLS, "callFromLambda", b);

        assertSingleScaleSubmission(b, 3.0);
    }

    @Test
    void taskCallInInnerClass_becomesSubmission() throws Throwable {
        Object b = block(1.0);

        call(CALLS, "callFromInnerClass", b);

        assertSingleScaleSubmission(b, 4.0);
    }

    @Test
    void taskCallInStaticNestedClass_becomesSubmission() throws Throwable {
        Object b = block(1.0);

        call(CALLS, "callFromNestedClass", b);

        assertSingleScaleSubmission(b, 5.0);
    }

    @Test
    void taskCallInAnonymousClass_becomesSubmission() throws Throwable {
        Object b = block(1.0);

        call(CALLS, "callFromAnonymousClass", b);

        assertSingleScaleSubmission(b, 6.0);
    }

    @Test
    void taskCallThroughMethodReference_becomesSubmission() throws Throwable {
        Object b = block(1.0);

        Object target = block(1.0);
        Object other = block(2.0);

        call(CALLS, "callViaMethodReference", b);
        call(CALLS, "callViaBoundMethodReference", target, other);

        assertThat(runtime.submissions).extracting(TestingRuntime.Submission::name).containsExactly("touch", "add");
        assertThat(runtime.submissions.get(0).args()).containsExactly(b);
        assertThat(runtime.submissions.get(1).receiver()).isSameAs(target);
        assertThat(runtime.submissions.get(1).args()).containsExactly(other);
        assertThat(value(b)).isEqualTo(2.0);
        assertThat(value(target)).isEqualTo(3.0);
    }

    @Test
    void intTask_returnsTheValueTheRuntimeAnswers() throws Throwable {
        runtime.answer("count", 42);

        Object result = call(CALLS, "callIntTask", block(7.0));

        assertThat(result).isEqualTo(42);
        assertThat(runtime.submissions).extracting(TestingRuntime.Submission::name).containsExactly("count");
    }

    @Test
    void intTask_runsInlineWhenRuntimeAnswersInline() throws Throwable {
        Object result = call(CALLS, "callIntTask", block(7.0));

        assertThat(result).isEqualTo(7);
    }

    @Test
    void objectTask_returnsThePlaceholderTheRuntimeAnswers() throws Throwable {
        Object placeholder = block(99.0);
        runtime.answer("copy", placeholder);

        Object result = call(CALLS, "callObjectTask", block(1.0));

        assertThat(result).isSameAs(placeholder);
    }

    @Test
    void objectTask_runsInlineWhenRuntimeAnswersInline() throws Throwable {
        Object source = block(5.0);

        Object result = call(CALLS, "callObjectTask", source);

        assertThat(result).isNotSameAs(source);
        assertThat(value(result)).isEqualTo(5.0);
    }

    // ---- synchronisation on use ------------------------------------------------------------------------------

    @Test
    void nonTaskCall_waitsOnReceiverAndObjectArguments() throws Throwable {
        Object receiver = block(1.0);
        Object other = block(2.0);

        call(CALLS, "callPlainMethod", receiver, other);

        assertThat(runtime.submissions).isEmpty();
        assertUsedExactly(receiver, other);
    }

    @Test
    void libraryCall_waitsOnReceiverAndObjectArgumentsButNotOnStringParameters() throws Throwable {
        List<Object> list = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        Object b = block(1.0);

        call(CALLS, "callLibraryMethod", list, b, sb, "text");

        assertUsedExactly(list, sb);
        assertThat(runtime.stored).as("list.add only stores its argument").containsExactly(b);
        assertThat(list).containsExactly(b);
        assertThat(sb).hasToString("text");
    }

    @Test
    void storingInACollection_asksTheRuntimeToStoreTheValueAndUsesTheCollectionAndKey() throws Throwable {
        List<Object> list = new ArrayList<>(List.of("x"));
        java.util.Map<Object, Object> map = new java.util.HashMap<>();
        java.util.Deque<Object> deque = new java.util.ArrayDeque<>();
        Object key = block(1.0);
        Object value = block(2.0);
        Object other = block(3.0);

        call(CALLS, "storeInCollections", list, map, deque, key, value, other);

        assertThat(runtime.stored).containsExactly(value, other, value, value, value, other, other);
        assertThat(runtime.used).as("receivers and the map's key wait as before")
                .anySatisfy(u -> assertThat(u).isSameAs(key))
                .noneSatisfy(u -> assertThat(u).isSameAs(value))
                .noneSatisfy(u -> assertThat(u).isSameAs(other));
        assertThat(list).containsExactly(other, value, value, other);
        assertThat(map).containsEntry(key, other);
        assertThat(deque).containsExactly(value);
    }

    @Test
    void listOfAndArraysAsList_storeEachElement() throws Throwable {
        Object a = block(1.0);
        Object b = block(2.0);

        Object result = call(CALLS, "storeInNewLists", a, b);

        assertThat(new ArrayList<Object>((List<?>) result)).containsExactly(a, b);
        assertThat(runtime.stored).as("List.of, Arrays.asList, then Optional.of(the first list)")
                .containsExactly(a, b, a, b, result);
        assertThat(runtime.used).noneSatisfy(u -> assertThat(u).isSameAs(a));
    }

    @Test
    void addingToASet_stillWaits_becauseASetHashesItsElements() throws Throwable {
        Object b = block(1.0);
        java.util.Set<Object> set = new java.util.HashSet<>();

        call(CALLS, "addToSet", set, b);

        assertThat(runtime.stored).isEmpty();
        assertUsedExactly(set, b);
    }

    @Test
    void stringPassedAsObjectParameter_isWaitedOnByItsStaticType() throws Throwable {
        List<Object> list = new ArrayList<>();

        call(CALLS, "callLibraryMethodWithStringAsObject", list, "text");

        assertUsedExactly(list, "text");
    }

    @Test
    void fieldRead_waitsOnTarget() throws Throwable {
        Object b = block(4.5);

        Object read = call(CALLS, "readField", b);

        assertThat(read).isEqualTo(4.5);
        assertUsedExactly(b);
    }

    @Test
    void fieldWrite_waitsOnTarget() throws Throwable {
        Object b = block(1.0);

        call(CALLS, "writeField", b, 8.0);

        assertThat(value(b)).isEqualTo(8.0);
        assertUsedExactly(b);
    }

    @Test
    void fieldWritesInConstructor_doNotWait() throws Throwable {
        Object created = call(CALLS, "construct", 3.0);

        assertThat(value(created)).isEqualTo(3.0);
        assertThat(runtime.used).isEmpty();
    }

    @Test
    void constructorArguments_areWaitedOn() throws Throwable {
        Object b = block(1.0);

        Object holder = call(CALLS, "wrap", b);

        assertUsedExactly(b);
        assertThat(holder.getClass().getField("block").get(holder)).isSameAs(b);
    }

    @Test
    void arrayElementRead_waitsOnArray() throws Throwable {
        double[] array = {1.0, 2.5};

        Object read = call(CALLS, "readElement", array, 1);

        assertThat(read).isEqualTo(2.5);
        assertUsedExactly(array);
    }

    @Test
    void arrayElementWrite_waitsOnArray() throws Throwable {
        double[] array = {1.0, 2.5};

        call(CALLS, "writeElement", array, 0, 9.0);

        assertThat(array).containsExactly(9.0, 2.5);
        assertUsedExactly(array);
    }

    @Test
    void objectArrayElementReadAndWrite_waitOnArray() throws Throwable {
        Object b = block(1.0);
        Object[] array = (Object[]) java.lang.reflect.Array.newInstance(loader.loadClass(BLOCK), 1);

        call(CALLS, "writeObjectElement", array, b);
        Object read = call(CALLS, "readObjectElement", (Object) array);

        assertThat(read).isSameAs(b);
        assertUsedExactly(array, array);
    }

    @Test
    void loopsOverAnArray_askForItOnce() throws Throwable {
        double[] array = {1.0, 2.5, 4.0};

        Object sum = call(CALLS, "sumTwiceAndDouble", array);

        assertThat(sum).isEqualTo(15.0);
        assertThat(array).containsExactly(2.0, 5.0, 8.0);
        assertUsedExactly(array);
    }

    @Test
    void twoArraysInOneLoop_eachAskedForOnce() throws Throwable {
        double[] a = {1.0, 2.0};
        double[] b = {3.0, 4.0};

        assertThat(call(CALLS, "dot", a, b)).isEqualTo(11.0);
        assertUsedExactly(a, b);
    }

    @Test
    void longElementsBehindABranch_askedForOnce() throws Throwable {
        long[] a = {5, -3, 7};

        assertThat(call(CALLS, "clearPositive", a, 0L)).isEqualTo(2);
        assertThat(a).containsExactly(0L, -3L, 0L);
        assertUsedExactly(a);
    }

    @Test
    void objectArrayInALoop_askedForOnce_itsElementsAsUsed() throws Throwable {
        Object[] blocks = (Object[]) java.lang.reflect.Array.newInstance(loader.loadClass(BLOCK), 2);
        blocks[0] = block(1.5);
        blocks[1] = block(2.0);

        assertThat(call(CALLS, "sumValues", (Object) blocks)).isEqualTo(3.5);
        assertUsedExactly(blocks, blocks[0], blocks[1]);
    }

    @Test
    void anArrayTheRuntimeSaysIsReady_isNeverWaitedOn() throws Throwable {
        double[] array = {1.0, 2.5, 4.0};
        runtime.ready.add(array);

        call(CALLS, "sumTwiceAndDouble", array);

        assertThat(runtime.used).isEmpty();
        assertThat(array).containsExactly(2.0, 5.0, 8.0);
    }

    @Test
    void aTaskCalledBetweenTwoAccesses_makesTheNextAskAgain() throws Throwable {
        double[] array = {2.0};
        Object b = block(1.0);
        runtime.ready.add(array); // ready when the method starts: only the task calls make it ask

        assertThat(call(CALLS, "readAroundTasks", array, b)).isEqualTo(8.0);
        // The block is used by the task, which this runtime runs inline.
        assertThat(runtime.used.stream().filter(o -> o == array)).as("waits on the array").hasSize(3);
    }

    @Test
    void anIndexMadeByATaskCall_makesTheAccessAskAgain() throws Throwable {
        double[] array = {2.0, 3.0};
        Object b = block(1.0);

        assertThat(call(CALLS, "indexFromTask", array, b)).isEqualTo(5.0);
        assertUsedExactly(array, b, array); // the block by the task, which this runtime runs inline
    }

    @Test
    void aConstructorLoopingOverItsArrayParameter_asksForItOnce() throws Throwable {
        double[] array = {1.0, 2.0, 4.0};

        assertThat(call(CALLS, "sumInConstructor", array)).isEqualTo(7.0);
        // Passed to the constructor (not a task), then read there; then the caller reads the new object's field.
        assertThat(runtime.used).hasSize(3);
        assertThat(runtime.used.stream().filter(o -> o == array)).hasSize(2);
    }

    @Test
    void aSlotReusedForAnIntAndThenAnotherArrayVariable_asksAgain() throws Throwable {
        double[] array = {1.0, 2.0};

        assertThat(call(CALLS, "reusedSlot", array)).isEqualTo(6.0);
        assertUsedExactly(array, array);
    }

    @Test
    void aVariableGivenAnotherArray_asksForIt() throws Throwable {
        double[] a = {1.0, 2.0};
        double[] b = {3.0, 4.0};

        assertThat(call(CALLS, "switchArrays", a, b)).isEqualTo(11.0);
        assertUsedExactly(a, b, a);
    }

    @Test
    void anAccessWhoseWaitFailed_asksAgainNextTime() throws Throwable {
        double[] array = {1.0, 2.0};
        runtime.failNextUse = array;

        assertThat(call(CALLS, "readAfterFailure", array)).isEqualTo(2.0);
        assertUsedExactly(array, array);
    }

    @Test
    void callsAndFieldReadsInALoop_askForEachVariablesObjectOnce() throws Throwable {
        Object receiver = block(2.0);
        Object other = block(1.0);

        assertThat(call(CALLS, "useInALoop", receiver, other)).isEqualTo(6.0);
        assertUsedExactly(receiver, other);
    }

    @Test
    void aTaskCalledBetweenTwoFieldReads_makesTheNextAskAgain() throws Throwable {
        Object b = block(2.0);
        Object c = block(0.0);

        assertThat(call(CALLS, "fieldAroundTasks", b, c)).isEqualTo(6.0);
        // c is used by the task, which this runtime runs inline.
        assertThat(runtime.used.stream().filter(o -> o == b)).as("waits on b").hasSize(3);
        assertThat(value(c)).isEqualTo(3.0);
    }

    @Test
    void aVariableGivenAnotherObject_asksForIt() throws Throwable {
        Object a = block(1.0);
        Object b = block(3.0);

        assertThat(call(CALLS, "switchBlocks", a, b)).isEqualTo(6.0);
        assertUsedExactly(a, b, a);
    }

    @Test
    void aUseWhoseWaitFailed_asksAgainNextTime() throws Throwable {
        Object b = block(1.0);
        runtime.failNextUse = b;

        assertThat(call(CALLS, "fieldAfterFailure", b)).isEqualTo(2.0);
        assertUsedExactly(b, b);
    }

    @Test
    void stringConcatenation_waitsOnOperandBeforeItsToStringRuns() throws Throwable {
        Object b = block(1.0);

        Object text = call(CALLS, "concat", b);

        assertThat(text).isEqualTo("x=Block");
        assertUsedExactly(b);
        assertThat(SampleJournal.events()).containsExactly("use:Block", "toString");
    }

    @Test
    void stringConcatenationWithWideAndValueOperands_waitsOnlyOnDataAndKeepsValues() throws Throwable {
        Object b = block(1.0);

        Object text = call(CALLS, "concatMixed", 5L, b, "s", 2.5);

        assertThat(text).isEqualTo("5:Block:s:2.5");
        assertUsedExactly(b);
    }

    @Test
    void fileReaderOnStringPath_waitsOnPath(@TempDir Path dir) throws Throwable {
        Path file = dir.resolve("in.txt");
        Files.writeString(file, "A", StandardCharsets.UTF_8);

        Object first = call(CALLS, "open", file.toString());

        assertThat(first).isEqualTo((int) 'A');
        assertThat(runtime.paths).containsExactly(file.toString());
        assertThat(SampleJournal.events().get(0)).isEqualTo("usePath:" + file);
    }

    @Test
    void varargsCall_waitsOnEachElementBeforeTheCalleeRuns() throws Throwable {
        Object b = block(1.0);

        Object text = call(CALLS, "format", b);

        assertThat(text).isEqualTo("Block");
        assertThat(runtime.used).anySatisfy(u -> assertThat(u).isSameAs(b));
        List<String> events = SampleJournal.events();
        assertThat(events).contains("use:Block", "toString");
        assertThat(events.indexOf("use:Block")).isLessThan(events.indexOf("toString"));
    }

    // ---- end of main -----------------------------------------------------------------------------------------

    @Test
    void endOfEntryClassMain_endsTheProgram() throws Throwable {
        call(APP, "main", (Object) new String[0]);

        assertThat(runtime.endOfMainCalls).isEqualTo(1);
        assertThat(SampleJournal.events()).containsExactly("main", "endOfMain");
    }

    @Test
    void endOfEntryClassMain_endsTheProgramAlsoWhenMainThrows() {
        Throwable thrown = catchThrowable(() -> call(APP, "main", (Object) new String[] {"boom"}));

        assertThat(thrown).isInstanceOf(IllegalStateException.class).hasMessage("boom").hasNoSuppressedExceptions();
        assertThat(runtime.endOfMainCalls + runtime.endOfMainThrew.size())
                .as("the runtime is told, once, that main ended").isEqualTo(1);
        if (!runtime.endOfMainThrew.isEmpty()) {
            assertThat(runtime.endOfMainThrew.get(0)).as("the exception main threw").isSameAs(thrown);
        }
        List<String> events = SampleJournal.events();
        assertThat(events.get(0)).isEqualTo("main");
        assertThat(events.get(events.size() - 1)).startsWith("endOfMain");
    }

    @Test
    void failureReportedAtEndOfMain_reachesTheCallerAndIsNotReportedAsMainThrowing() {
        runtime.endOfMainFailure = new IllegalStateException("a task failed");

        Throwable thrown = catchThrowable(() -> call(APP, "main", (Object) new String[0]));

        assertThat(thrown).isSameAs(runtime.endOfMainFailure);
        assertThat(runtime.endOfMainCalls).isEqualTo(1);
        assertThat(runtime.endOfMainThrew).isEmpty();
    }

    @Test
    void mainOfAnotherClass_doesNotEndTheProgram() throws Throwable {
        call(CALLS, "main", (Object) new String[0]);

        assertThat(runtime.endOfMainCalls).isZero();
        assertThat(SampleJournal.events()).containsExactly("Calls.main");
    }

    // ---- task threads and twins ------------------------------------------------------------------------------

    @Test
    void onRuntimeThread_methodsRunTheirTwinAndNothingIsRecorded() throws Throwable {
        Object b = block(1.0);
        AtomicReference<Object> name = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread executor = new TestRuntimeThread(() -> {
            try {
                call(CALLS, "callStaticTask", b);
                call(CALLS, "callInstanceTask", b, block(1.0));
                call(CALLS, "readField", b);
                call(CALLS, "concat", b);
                call(CALLS, "format", b);
                name.set(call(CALLS, "whoAmI"));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        executor.start();
        executor.join(10_000);

        assertThat(failure.get()).isNull();
        assertThat(name.get()).isEqualTo("whoAmI" + TaskThreadTwins.SUFFIX);
        assertThat(value(b)).as("tasks run inline on a task thread").isEqualTo(3.0);
        assertThat(runtime.submissions).isEmpty();
        assertThat(runtime.used).isEmpty();
        assertThat(SampleJournal.events()).containsExactly("toString", "toString");
    }

    @Test
    void lambdaMadeByTaskCode_runsAsTaskCodeOnAnyThread() throws Throwable {
        Object b = block(1.0);
        AtomicReference<Object> ranIn = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread executor = new TestRuntimeThread(() -> {
            try {
                ranIn.set(call(CALLS, "lambdaOnAnotherThread", b));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        executor.start();
        executor.join(10_000);

        assertThat(failure.get()).isNull();
        assertThat((String) ranIn.get()).as("the lambda's untouched twin ran").endsWith(TaskThreadTwins.SUFFIX);
        assertThat(runtime.used).as("no wait: the lambda works for the running task").isEmpty();
    }

    @Test
    void lambdaMadeByMainProgram_stillWaitsOnAnotherThread() throws Throwable {
        Object b = block(1.0);
        assertThat((String) call(CALLS, "lambdaOnAnotherThread", b)).doesNotEndWith(TaskThreadTwins.SUFFIX);
        assertThat(runtime.used).contains(b);
    }

    @Test
    void onApplicationThread_methodsRunTheirInstrumentedBody() throws Throwable {
        assertThat(call(CALLS, "whoAmI")).isEqualTo("whoAmI");
    }

    @Test
    void everyMethodWithABody_getsAPrivateSyntheticTwin() throws Exception {
        Class<?> calls = loader.loadClass(CALLS);

        for (Method m : calls.getDeclaredMethods()) {
            if (m.getName().startsWith("weft$task$")) {
                continue; // a task call's helper: called only by instrumented code
            }
            if (m.getName().endsWith(TaskThreadTwins.SUFFIX)) {
                assertThat(Modifier.isPrivate(m.getModifiers())).as(m.getName()).isTrue();
                assertThat(m.isSynthetic()).as(m.getName()).isTrue();
                assertThat(m.getDeclaredAnnotations()).as(m.getName()).isEmpty();
                continue;
            }
            Method twin = calls.getDeclaredMethod(m.getName() + TaskThreadTwins.SUFFIX, m.getParameterTypes());
            assertThat(twin.getReturnType()).isEqualTo(m.getReturnType());
            assertThat(Modifier.isStatic(twin.getModifiers())).isEqualTo(Modifier.isStatic(m.getModifiers()));
        }
    }

    @Test
    void withoutRuntime_instrumentedCodeRunsAsWritten() throws Throwable {
        Intercept.uninstall();
        Object b = block(1.0);

        call(CALLS, "callStaticTask", b);
        Object text = call(CALLS, "concat", b);
        call(APP, "main", (Object) new String[0]);

        assertThat(value(b)).isEqualTo(2.0);
        assertThat(text).isEqualTo("x=Block");
        assertThat(runtime.submissions).isEmpty();
        assertThat(runtime.used).isEmpty();
        assertThat(runtime.endOfMainCalls).isZero();
    }

    /**
     * A task call becomes one call of a private static helper of the class, which submits the task: a method that
     * calls many tasks stays about the size it was written (past 8,000 bytes of bytecode the JIT never compiles it).
     */
    @Test
    void aTaskCall_becomesOneCallOfAPrivateHelper_soTheCallerKeepsItsSize() throws Throwable {
        byte[] original = SampleLoader.originalBytes(CALLS);
        byte[] rewritten = new ClassInstrumenter(TaskSites::register, APP).instrument(loader, original);

        int before = codeLength(original, "callIntTask");
        int after = codeLength(rewritten, "callIntTask");
        assertThat(after).as("the task call, the thread test that picks the twin, the argument's wait")
                .isLessThanOrEqualTo(before + 30);
        Class<?> calls = loader.loadClass(CALLS);
        List<Method> helpers = java.util.Arrays.stream(calls.getDeclaredMethods())
                .filter(m -> m.getName().startsWith("weft$task$")).toList();
        assertThat(helpers).isNotEmpty().allSatisfy(m -> {
            assertThat(Modifier.isPrivate(m.getModifiers()) && Modifier.isStatic(m.getModifiers())).isTrue();
            assertThat(m.isSynthetic()).isTrue();
        });
        Object b = block(1.0);
        runtime.answer("count", 42);
        assertThat(call(CALLS, "callIntTask", b)).as("the helper returns what the runtime answers").isEqualTo(42);
    }

    /**
     * A static task named through a subclass keeps its call site's own instruction for the plain call (a helper's
     * call, compiled from source, would name the declaring class, which the caller may not be able to reach).
     */
    @Test
    void staticTaskNamedThroughASubclass_isSubmitted_andRunsAsWrittenWhenInline() throws Throwable {
        byte[] rewritten = new ClassInstrumenter(TaskSites::register, APP).instrument(loader,
                SampleLoader.originalBytes(CALLS));
        assertThat(called(rewritten, "callIntTask")).anyMatch(m -> m.startsWith("weft$task$"));
        assertThat(called(rewritten, "callStaticTaskThroughSubclass")).as("rewritten in place")
                .noneMatch(m -> m.startsWith("weft$task$")).contains("task", "count");
        Object b = block(1.0);
        runtime.answer("count", 7);
        assertThat(call(CALLS, "callStaticTaskThroughSubclass", b)).isEqualTo(7);
        assertThat(runtime.submissions).extracting(TestingRuntime.Submission::name).containsExactly("count");

        Intercept.uninstall();
        assertThat(call(CALLS, "callStaticTaskThroughSubclass", b)).as("the plain call").isEqualTo(
                call(CALLS, "callIntTask", b));
    }

    /** The names of the methods a method of the class calls, in order. */
    private static List<String> called(byte[] classBytes, String method) throws Exception {
        javassist.bytecode.ClassFile file = new javassist.bytecode.ClassFile(
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(classBytes)));
        javassist.bytecode.ConstPool pool = file.getConstPool();
        List<String> names = new java.util.ArrayList<>();
        javassist.bytecode.CodeIterator code = file.getMethod(method).getCodeAttribute().iterator();
        while (code.hasNext()) {
            int at = code.next();
            int op = code.byteAt(at);
            if (op == javassist.bytecode.Opcode.INVOKESTATIC || op == javassist.bytecode.Opcode.INVOKEVIRTUAL) {
                int ref = code.u16bitAt(at + 1);
                names.add(pool.getTag(ref) == javassist.bytecode.ConstPool.CONST_InterfaceMethodref
                        ? pool.getInterfaceMethodrefName(ref) : pool.getMethodrefName(ref));
            }
        }
        return names;
    }

    private static int codeLength(byte[] classBytes, String method) throws java.io.IOException {
        javassist.bytecode.ClassFile file = new javassist.bytecode.ClassFile(
                new java.io.DataInputStream(new java.io.ByteArrayInputStream(classBytes)));
        return file.getMethod(method).getCodeAttribute().getCodeLength();
    }

    @Test
    void instrument_isAPureFunctionOfTheClassBytes() {
        byte[] original = SampleLoader.originalBytes(CALLS);
        byte[] copy = original.clone();
        ClassInstrumenter instrumenter = new ClassInstrumenter(TaskSites::register, APP);

        byte[] first = instrumenter.instrument(loader, original);
        byte[] second = new ClassInstrumenter(TaskSites::register, APP).instrument(loader, original);

        assertThat(original).isEqualTo(copy);
        assertThat(first).isNotEqualTo(original);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void includedClassUnderBuiltInExclusion_hasItsTaskCallsSubmitted() throws Throwable {
        String name = "io.weft.instrument.samples.IncludedApp";
        ClassFilter filter = new ClassFilter(List.of("io.weft.instrument.samples."), List.of());
        ClassInstrumenter instrumenter = new ClassInstrumenter(TaskSites::register, null, filter);
        WeftTransformer transformer = new WeftTransformer(filter, instrumenter,
                (className, error) -> { throw new AssertionError(className, error); }, false);
        SampleLoader included = new SampleLoader("io.weft.instrument.samples.",
                (l, bytes) -> transformer.transform(l, name.replace('.', '/'), null, null, bytes));
        assertThat(filter.isApplicationClass(included, name)).isTrue();
        Class<?> app = included.loadClass(name);
        Object instance = app.getConstructor().newInstance();

        try {
            app.getMethod("run", app).invoke(null, instance);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }

        assertThat(runtime.submissions).extracting(TestingRuntime.Submission::name).containsExactly("bump");
    }

    @Test
    void classReferencingAMissingOptionalDependency_runsWithoutTheAgent() throws Throwable {
        loader = new SampleLoader(SampleLoader.SAMPLES, (l, bytes) -> withoutOptionalFeature(bytes));

        assertThat(call("weftsamples.OptionalUser", "describe", block(1.0), false)).isEqualTo("plain:1.0");
        assertThatThrownBy(() -> call("weftsamples.OptionalUser", "describe", block(1.0), true))
                .isInstanceOf(NoClassDefFoundError.class);
    }

    @Test
    void classReferencingAMissingOptionalDependency_isInstrumentedAndRunsItsOtherPaths() throws Throwable {
        ClassInstrumenter instrumenter = new ClassInstrumenter(TaskSites::register, APP);
        loader = new SampleLoader(SampleLoader.SAMPLES, (l, bytes) -> instrumenter.instrument(l,
                withoutOptionalFeature(bytes)));
        Object b = block(1.0);

        assertThat(call("weftsamples.OptionalUser", "describe", b, false)).isEqualTo("plain:1.0");
        assertUsedExactly(b);
    }

    /** Makes a class refer to weftsamples.absent.OptionalFeature, which no loader can find, instead of OptionalFeature. */
    private static byte[] withoutOptionalFeature(byte[] bytes) {
        try {
            javassist.bytecode.ClassFile file = new javassist.bytecode.ClassFile(
                    new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes)));
            file.renameClass("weftsamples.OptionalFeature", "weftsamples.absent.OptionalFeature");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            file.write(new java.io.DataOutputStream(out));
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private void assertSingleScaleSubmission(Object b, double factor) throws Exception {
        assertThat(runtime.submissions).hasSize(1);
        TestingRuntime.Submission s = runtime.submissions.get(0);
        assertThat(s.name()).isEqualTo("scale");
        assertThat(s.receiver()).isNull();
        assertThat(s.args().get(0)).isSameAs(b);
        assertThat(s.args().get(1)).isEqualTo(factor);
        assertThat(value(b)).isEqualTo(factor);
    }

    /** Asserts the objects passed to {@code use}, by identity and in order. */
    private void assertUsedExactly(Object... expected) {
        assertThat(runtime.used).as("objects waited on").hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(runtime.used.get(i)).as("use #" + i).isSameAs(expected[i]);
        }
    }

    private Object block(double value) throws Exception {
        return loader.loadClass(BLOCK).getConstructor(double.class).newInstance(value);
    }

    private static double value(Object block) throws Exception {
        return block.getClass().getField("value").getDouble(block);
    }

    /** Calls the public static method {@code name} of a sample class, rethrowing what it throws. */
    private Object call(String className, String name, Object... args) throws Throwable {
        Method method = Arrays.stream(loader.loadClass(className).getDeclaredMethods())
                .filter(m -> m.getName().equals(name) && Modifier.isPublic(m.getModifiers()))
                .findFirst().orElseThrow(() -> new AssertionError("no method " + className + "." + name));
        try {
            return method.invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
