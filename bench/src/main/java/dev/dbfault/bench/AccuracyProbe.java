package dev.dbfault.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.dbfault.core.FaultProxy;
import dev.dbfault.core.fault.Faults;

/**
 * How closely faults do what they say: the extra delay a 50 ms latency fault adds to a
 * round trip, and the rate a bandwidth fault lets through against its setting.
 */
final class AccuracyProbe {

	private AccuracyProbe() {
	}

	/**
	 * The extra delay of a latency fault, and for reference that of a server that waits as
	 * long itself before it answers, measured the same way without a relay: what a thread
	 * that sleeps that long on this machine overshoots by, wake-ups included.
	 *
	 * @param configuredMillis the fault's latency
	 * @param p50Millis median extra delay
	 * @param p99Millis 99th percentile of the extra delay
	 * @param maxMillis largest extra delay
	 * @param samples round trips measured
	 * @param baselineP50Millis median round trip without the fault
	 * @param baselineP99Millis 99th percentile of the round trip without the fault: the machine's own jitter
	 * @param referenceP50Millis median extra delay of the server that waits itself
	 * @param referenceP99Millis 99th percentile of the extra delay of the server that waits itself
	 */
	record Latency(double configuredMillis, double p50Millis, double p99Millis, double maxMillis, int samples,
			double baselineP50Millis, double baselineP99Millis, double referenceP50Millis, double referenceP99Millis) {

	}

	/**
	 * The rate a bandwidth fault let through.
	 *
	 * @param configured bytes per second set
	 * @param achieved bytes per second measured
	 * @param bytes bytes transferred
	 */
	record Bandwidth(long configured, double achieved, long bytes) {

	}

	static Latency latency(Duration latency, int samples) throws IOException {
		List<Double> reference = referenceExtraDelays(latency, samples);
		try (TestServers.Echo echo = new TestServers.Echo();
				FaultProxy proxy = FaultProxy.builder().name("accuracy").upstream("127.0.0.1", echo.port()).start();
				Socket socket = new Socket("127.0.0.1", proxy.listenAddress().getPort())) {
			socket.setTcpNoDelay(true);
			List<Double> baseline = roundTrips(socket, samples);
			proxy.inject(Faults.latency(latency));
			List<Double> extra = extraDelays(roundTrips(socket, samples), Results.median(baseline));
			Collections.sort(baseline);
			return new Latency(latency.toMillis(), extra.get(extra.size() / 2), percentile99(extra),
					extra.get(extra.size() - 1), samples, Results.median(baseline), percentile99(baseline),
					reference.get(reference.size() / 2), percentile99(reference));
		}
	}

	/**
	 * Measures, without a relay, the extra delay of a server that waits {@code latency} before
	 * each answer, over the round trip of one that answers at once.
	 */
	private static List<Double> referenceExtraDelays(Duration latency, int samples) throws IOException {
		double base;
		try (TestServers.Echo echo = new TestServers.Echo();
				Socket socket = new Socket("127.0.0.1", echo.port())) {
			socket.setTcpNoDelay(true);
			base = Results.median(roundTrips(socket, samples));
		}
		try (TestServers.Echo echo = new TestServers.Echo(latency);
				Socket socket = new Socket("127.0.0.1", echo.port())) {
			socket.setTcpNoDelay(true);
			return extraDelays(roundTrips(socket, samples), base);
		}
	}

	/** Each round trip less the baseline, sorted. */
	private static List<Double> extraDelays(List<Double> roundTrips, double baseline) {
		List<Double> extra = new ArrayList<>();
		for (double rtt : roundTrips) {
			extra.add(rtt - baseline);
		}
		Collections.sort(extra);
		return extra;
	}

	private static double percentile99(List<Double> sorted) {
		return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
	}

	private static List<Double> roundTrips(Socket socket, int samples) throws IOException {
		OutputStream out = socket.getOutputStream();
		InputStream in = socket.getInputStream();
		byte[] message = new byte[16];
		List<Double> millis = new ArrayList<>();
		for (int i = 0; i < samples + 20; i++) {
			long start = System.nanoTime();
			out.write(message);
			in.readNBytes(message.length);
			if (i >= 20) {
				millis.add((System.nanoTime() - start) / 1e6);
			}
		}
		return millis;
	}

	static Bandwidth bandwidth(long rate, long bytes) throws IOException {
		try (TestServers.Source source = new TestServers.Source(bytes);
				FaultProxy proxy = FaultProxy.builder().name("accuracy").upstream("127.0.0.1", source.port()).start()) {
			proxy.inject(Faults.bandwidth(rate));
			try (Socket socket = new Socket("127.0.0.1", proxy.listenAddress().getPort())) {
				InputStream in = socket.getInputStream();
				byte[] buffer = new byte[64 * 1024];
				long received = in.read(buffer);
				long first = System.nanoTime();
				long counted = 0;
				int read;
				while ((read = in.read(buffer)) >= 0) {
					counted += read;
				}
				double seconds = (System.nanoTime() - first) / 1e9;
				return new Bandwidth(rate, counted / seconds, received + counted);
			}
		}
	}

}
