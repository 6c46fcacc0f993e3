package dev.dbfault.test;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Sets {@code dbfault.enabled} from {@link AutoConfigureDbFault#enabled()} in the context of
 * a test that carries the annotation, ahead of every other property source. It is what
 * Spring Boot's property mapping would do, written against Spring Framework's test context
 * alone, whose API is the same on every Spring Boot line dbfault supports. The customizer
 * takes part in the context cache's key: tests with and without dbfault get different
 * contexts.
 */
final class DbFaultContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureDbFault annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureDbFault.class);
		return (annotation != null) ? new Enabled(annotation.enabled()) : null;
	}

	/** Puts {@code dbfault.enabled} first among the context's property sources. */
	private record Enabled(boolean enabled) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("dbfault test", Map.of("dbfault.enabled", this.enabled)));
		}

	}

}
