package dev.dbfault.test;

import java.lang.reflect.Method;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs a {@link DbFaultExplore} method: first with no fault, recording its statements, then
 * once per planned fault. The runs with a fault are planned once the first run has ended,
 * so they are handed to JUnit one at a time, each after the one before has run.
 */
final class DbFaultExploreExtension implements TestTemplateInvocationContextProvider {

	@Override
	public boolean supportsTestTemplate(ExtensionContext context) {
		return context.getTestMethod().map((method) -> AnnotationSupport.isAnnotated(method, DbFaultExplore.class))
			.orElse(false);
	}

	@Override
	public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
		Method method = context.getRequiredTestMethod();
		DbFaultExplore settings = AnnotationSupport.findAnnotation(method, DbFaultExplore.class).orElseThrow();
		Exploration exploration = new Exploration(context.getRequiredTestClass(), method.getName(), settings);
		Iterator<TestTemplateInvocationContext> runs = new Iterator<>() {

			private boolean recordingGiven;

			private Iterator<ExploreVariation> variations;

			private boolean reported;

			@Override
			public boolean hasNext() {
				if (!this.recordingGiven) {
					return true;
				}
				if (this.variations == null) {
					this.variations = exploration.variations().iterator();
				}
				if (this.variations.hasNext()) {
					return true;
				}
				if (!this.reported) {
					this.reported = true;
					exploration.report();
				}
				return false;
			}

			@Override
			public TestTemplateInvocationContext next() {
				if (!hasNext()) {
					throw new NoSuchElementException();
				}
				if (!this.recordingGiven) {
					this.recordingGiven = true;
					return new Run(exploration, null);
				}
				return new Run(exploration, this.variations.next());
			}

		};
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(runs, Spliterator.ORDERED), false);
	}

	/**
	 * One run: with no fault ({@code variation} is {@code null}), or with one.
	 */
	private record Run(Exploration exploration, ExploreVariation variation) implements TestTemplateInvocationContext {

		@Override
		public String getDisplayName(int invocationIndex) {
			return (this.variation != null) ? this.variation.name() : "no fault: records the statements";
		}

		@Override
		public List<Extension> getAdditionalExtensions() {
			return List.of(new InvocationInterceptor() {

				@Override
				public void interceptTestTemplateMethod(Invocation<Void> invocation,
						ReflectiveInvocationContext<Method> invocationContext, ExtensionContext extensionContext)
						throws Throwable {
					ExploreProxies proxies = ExploreProxies.of(extensionContext);
					if (Run.this.variation == null) {
						Run.this.exploration.record(proxies, invocation);
					}
					else {
						Run.this.exploration.run(proxies, Run.this.variation, invocation);
					}
				}

			});
		}

	}

}
