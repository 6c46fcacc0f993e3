package dev.dbfault.testdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.opentest4j.AssertionFailedError;

/**
 * A module's public API as a sorted listing, one line per public type and per public or
 * protected member, compared with the listing checked in beside its tests: a change to the
 * API is always a change to that file too, reviewed as such. Packages named {@code internal}
 * are not API; a signature of the API that names one of their types fails the check, since
 * it would make that type API by the back door.
 * <p>
 * {@code -Ddbfault.api.update=true} rewrites the listing instead of comparing.
 */
public final class PublicApi {

	private static final String UPDATE = "dbfault.api.update";

	private PublicApi() {
	}

	/**
	 * Compares the public API of the classes compiled into {@code target/classes} with the
	 * listing {@code src/test/resources/public-api.txt}.
	 * @throws AssertionFailedError naming the lines added and removed, and how to accept them
	 */
	public static void assertUnchanged() {
		Path listingFile = Path.of("src", "test", "resources", "public-api.txt");
		List<String> current = listing(Path.of("target", "classes"));
		List<String> leaks = current.stream().filter((line) -> line.contains(".internal.")).toList();
		if (!leaks.isEmpty()) {
			throw new AssertionFailedError("The public API names internal types (make them API or keep them out of "
					+ "public signatures):\n  " + String.join("\n  ", leaks));
		}
		try {
			if (Boolean.getBoolean(UPDATE)) {
				Files.createDirectories(listingFile.getParent());
				Files.write(listingFile, current);
				return;
			}
			List<String> recorded = Files.exists(listingFile) ? Files.readAllLines(listingFile) : List.of();
			Set<String> added = new LinkedHashSet<>(current);
			recorded.forEach(added::remove);
			Set<String> removed = new LinkedHashSet<>(recorded);
			current.forEach(removed::remove);
			if (!added.isEmpty() || !removed.isEmpty()) {
				throw new AssertionFailedError("The public API changed. If that is meant, run the tests with -D" + UPDATE
						+ "=true to rewrite " + listingFile + " and commit it (and say so in CHANGELOG.md).\n"
						+ "added:\n  " + String.join("\n  ", added) + "\nremoved:\n  " + String.join("\n  ", removed));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The API listing of the classes under a directory of compiled classes.
	 * @param classes the directory, such as {@code target/classes}
	 * @return the sorted lines
	 */
	public static List<String> listing(Path classes) {
		Set<String> lines = new TreeSet<>();
		for (Class<?> type : classes(classes)) {
			if (!isApi(type)) {
				continue;
			}
			lines.add(describe(type));
			String owner = type.getName();
			for (Field field : type.getDeclaredFields()) {
				if (isApi(field.getModifiers()) && !field.isSynthetic()) {
					lines.add(owner + " field " + modifiers(field.getModifiers()) + field.getGenericType().getTypeName()
							+ " " + field.getName());
				}
			}
			for (Constructor<?> constructor : type.getDeclaredConstructors()) {
				if (isApi(constructor.getModifiers()) && !constructor.isSynthetic()) {
					lines.add(owner + " constructor " + constructor.toGenericString());
				}
			}
			for (Method method : type.getDeclaredMethods()) {
				if (isApi(method.getModifiers()) && !method.isSynthetic() && !method.isBridge()) {
					lines.add(owner + " method " + method.toGenericString());
				}
			}
		}
		return new ArrayList<>(lines);
	}

	private static String describe(Class<?> type) {
		StringBuilder line = new StringBuilder(type.getName()).append(" type ")
			.append(modifiers(type.getModifiers() & ~Modifier.INTERFACE))
			.append(type.isAnnotation() ? "@interface" : type.isInterface() ? "interface"
					: type.isEnum() ? "enum" : type.isRecord() ? "record" : "class");
		if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class && !type.isEnum()
				&& !type.isRecord()) {
			line.append(" extends ").append(type.getGenericSuperclass().getTypeName());
		}
		if (type.getGenericInterfaces().length > 0 && !type.isAnnotation()) {
			line.append(" implements ")
				.append(Arrays.stream(type.getGenericInterfaces()).map((t) -> t.getTypeName()).collect(Collectors.joining(", ")));
		}
		if (type.isEnum()) {
			line.append(" {")
				.append(Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", ")))
				.append("}");
		}
		return line.toString();
	}

	private static boolean isApi(Class<?> type) {
		if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()
				|| type.getPackageName().contains(".internal")) {
			return false;
		}
		for (Class<?> enclosing = type; enclosing != null; enclosing = enclosing.getDeclaringClass()) {
			if (!isApi(enclosing.getModifiers())) {
				return false;
			}
		}
		return true;
	}

	private static boolean isApi(int modifiers) {
		return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
	}

	private static String modifiers(int modifiers) {
		String text = Modifier.toString(modifiers & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC
				| Modifier.FINAL | Modifier.ABSTRACT | Modifier.INTERFACE));
		return text.isEmpty() ? "" : text + " ";
	}

	private static List<Class<?>> classes(Path root) {
		try (Stream<Path> files = Files.walk(root)) {
			List<Class<?>> classes = new ArrayList<>();
			for (Path file : files.filter((path) -> path.toString().endsWith(".class")).sorted().toList()) {
				String name = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
				name = name.substring(0, name.length() - ".class".length());
				if (name.endsWith("package-info") || name.endsWith("module-info")) {
					continue;
				}
				classes.add(Class.forName(name, false, PublicApi.class.getClassLoader()));
			}
			return classes;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException("A compiled class is not on the test class path: " + ex.getMessage(), ex);
		}
	}

}
