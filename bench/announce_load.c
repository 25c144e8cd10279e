/*
 * A BEP 15 announce load generator in C, for bench/tracker.sh: keeps W announces in flight
 * against one UDP tracker on 127.0.0.1 for a fixed time, checks every answer, and prints one
 * report line with the same keys as the jar's TrackerLoad (mode=load ... rate= p50_us= p99_us=
 * timeouts= errors=). A C generator is what opentracker's own figures use: on two shared cores the
 * Java one takes more of them than the trackers it drives.
 *
 *   announce_load --port P --hashes FILE [--window W] [--seconds S] [--warmup S] [--peers N]
 *                 [--timeout-ms T] [--num-want N] [--seeders-percent P] [--seed S]
 *
 * FILE holds the pool's info hashes, 40 hex digits a line (TrackerLoad --print-info-hashes), one
 * torrent each. Peer p announces into torrent p % T with port 1 + p % 65535, its id
 * "-SB0001-" + seed + p (TrackerLoad's), left 0 for about P% of the peers (the same hash of p),
 * event started at its first announce and none after; all from one socket on 127.0.0.1, whose
 * connection id is asked for first and again every 60 s (BEP 15 ids last two minutes).
 * A request unanswered for T ms is counted as a timeout and replaced. Every loop ends at its
 * deadline whatever the tracker does. Build: gcc -O2 -o announce_load announce_load.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_WINDOW 4096
#define SLOT_BITS 12 /* 4096 slots */
#define PROTOCOL_ID 0x41727101980ULL
#define CONNECT_EVERY_NS (60ULL * 1000000000ULL)
#define HISTOGRAM_US 2000000 /* latencies up to 2 s, 1 us apart */
#define LEECHER_LEFT 1000000000LL

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "announce_load: %s\n", what);
  exit(1);
}

/* MurmurHash3's 64-bit finaliser, as BenchSwarm.mix. */
static uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

static void put32(uint8_t *p, uint32_t v) { v = htobe32(v); memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { v = htobe64(v); memcpy(p, &v, 8); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return be32toh(v); }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return be64toh(v); }

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The info hashes of FILE, 20 bytes each; their count in *count. */
static uint8_t *read_hashes(const char *file, int *count) {
  FILE *in = fopen(file, "r");
  if (!in) die("cannot open the info hash file");
  size_t cap = 1024, n = 0;
  uint8_t *hashes = malloc(cap * 20);
  char line[128];
  while (fgets(line, sizeof line, in)) {
    size_t len = strcspn(line, "\r\n");
    if (len == 0) continue;
    if (len != 40) die("an info hash line is not 40 hex digits");
    if (n == cap) hashes = realloc(hashes, (cap *= 2) * 20);
    for (int i = 0; i < 20; i++) {
      int hi = hexval(line[2 * i]), lo = hexval(line[2 * i + 1]);
      if (hi < 0 || lo < 0) die("an info hash line is not 40 hex digits");
      hashes[n * 20 + i] = (uint8_t)(hi << 4 | lo);
    }
    n++;
  }
  fclose(in);
  if (n == 0) die("the info hash file is empty");
  *count = (int)n;
  return hashes;
}

enum { IDLE, ANNOUNCING };

int main(int argc, char **argv) {
  int port = 0, window = 64, peers = 10000, timeout_ms = 1000, num_want = 50, seeders_percent = 10;
  double seconds = 10, warmup = 2;
  long long seed = 0;
  const char *hash_file = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v) { fprintf(stderr, "announce_load: %s needs a value\n", a); return 2; }
    if (!strcmp(a, "--port")) port = atoi(v);
    else if (!strcmp(a, "--hashes")) hash_file = v;
    else if (!strcmp(a, "--window")) window = atoi(v);
    else if (!strcmp(a, "--seconds")) seconds = atof(v);
    else if (!strcmp(a, "--warmup")) warmup = atof(v);
    else if (!strcmp(a, "--peers")) peers = atoi(v);
    else if (!strcmp(a, "--timeout-ms")) timeout_ms = atoi(v);
    else if (!strcmp(a, "--num-want")) num_want = atoi(v);
    else if (!strcmp(a, "--seeders-percent")) seeders_percent = atoi(v);
    else if (!strcmp(a, "--seed")) seed = atoll(v);
    else { fprintf(stderr, "announce_load: unknown option %s\n", a); return 2; }
    i++;
  }
  if (port < 1 || port > 65535 || !hash_file || window < 1 || window > MAX_WINDOW || peers < 1
      || seconds <= 0 || seconds > 3600 || warmup < 0 || warmup > 600 || timeout_ms < 1 || num_want < -1
      || seeders_percent < 0 || seeders_percent > 100) {
    fprintf(stderr, "announce_load: usage: --port 1..65535 --hashes FILE [--window 1..%d] [--seconds S]"
        " [--warmup S] [--peers N] [--timeout-ms T] [--num-want N] [--seeders-percent 0..100] [--seed S]\n",
        MAX_WINDOW);
    return 2;
  }
  int torrents;
  uint8_t *hashes = read_hashes(hash_file, &torrents);
  uint8_t *announced = calloc((size_t)peers, 1);

  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) die("cannot open a UDP socket");
  int buffer = 4 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&to, sizeof to) < 0) die("cannot connect the UDP socket");

  uint32_t salt = (uint32_t)mix((uint64_t)now_ns()) & 0x7fffffff;
  uint32_t seq[MAX_WINDOW] = {0};
  int state[MAX_WINDOW] = {0};
  uint64_t sent_at[MAX_WINDOW] = {0};
  uint32_t *histogram = calloc(HISTOGRAM_US + 1, sizeof(uint32_t));
  uint8_t out[98], in[2048];
  int next_peer = 0;

  /* The connection id, asked for until it comes (10 s at most). */
  uint64_t connection_id = 0, connected_at = 0;
  uint32_t connect_tid = 0;
  uint64_t give_up = now_ns() + 10000000000ULL;
  while (connected_at == 0) {
    if (now_ns() > give_up) die("the tracker answered no connect request within 10 s");
    connect_tid = (uint32_t)mix(now_ns()) | 0x80000000u; /* never a slot's: their high bit is clear */
    put64(out, PROTOCOL_ID);
    put32(out + 8, 0);
    put32(out + 12, connect_tid);
    send(fd, out, 16, 0);
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 200) > 0) {
      ssize_t n = recv(fd, in, sizeof in, 0);
      if (n >= 16 && get32(in) == 0 && get32(in + 4) == connect_tid) {
        connection_id = get64(in + 8);
        connected_at = now_ns();
      }
    }
  }

  uint64_t start = now_ns();
  uint64_t measure_from = start + (uint64_t)(warmup * 1e9);
  uint64_t deadline = measure_from + (uint64_t)(seconds * 1e9);
  uint64_t timeout_ns = (uint64_t)timeout_ms * 1000000ULL;
  long long announces = 0, timeouts = 0, error_responses = 0, invalid = 0, late = 0, send_failures = 0;
  long long connects = 1;
  uint64_t max_ns = 0, sum_ns = 0, last_scan = 0;
  int renewing = 0;
  int peer_of[MAX_WINDOW];

  for (int s = 0; s < window; s++) state[s] = IDLE;
  for (;;) {
    uint64_t now = now_ns();
    if (now >= deadline) break;
    /* A fresh connection id before the old one ages out; the old one serves until it comes. */
    if (!renewing && now - connected_at > CONNECT_EVERY_NS) {
      connect_tid = (uint32_t)mix(now) | 0x80000000u;
      put64(out, PROTOCOL_ID);
      put32(out + 8, 0);
      put32(out + 12, connect_tid);
      send(fd, out, 16, 0);
      renewing = 1;
      connects++;
    }
    for (int s = 0; s < window; s++) {
      if (state[s] != IDLE) continue;
      int peer = next_peer;
      next_peer = (next_peer + 1) % peers;
      seq[s] = (seq[s] + 1) & ((1u << (31 - SLOT_BITS)) - 1);
      uint32_t tid = ((seq[s] << SLOT_BITS) | (uint32_t)s) ^ salt;
      put64(out, connection_id);
      put32(out + 8, 1);
      put32(out + 12, tid);
      memcpy(out + 16, hashes + (size_t)(peer % torrents) * 20, 20);
      memcpy(out + 36, "-SB0001-", 8); /* TrackerLoad's peer id: prefix, seed, peer */
      put32(out + 44, (uint32_t)seed);
      put64(out + 48, (uint64_t)peer);
      /* out + 56..: downloaded, left, uploaded, event, ip, key, num_want, port */
      int64_t h = (int64_t)mix((uint64_t)((long long)peer ^ seed));
      int seeds = (int)(((h % 100) + 100) % 100) < seeders_percent; /* Java's floorMod */
      put64(out + 56, 0);
      put64(out + 64, seeds ? 0 : (uint64_t)LEECHER_LEFT);
      put64(out + 72, 0);
      put32(out + 80, announced[peer] ? 0 : 2);
      put32(out + 84, 0);
      put32(out + 88, (uint32_t)mix((uint64_t)peer + 0x5bd1e995ULL * (uint64_t)seed));
      put32(out + 92, (uint32_t)num_want);
      out[96] = (uint8_t)((1 + peer % 65535) >> 8);
      out[97] = (uint8_t)(1 + peer % 65535);
      peer_of[s] = peer;
      sent_at[s] = now;
      state[s] = ANNOUNCING;
      if (send(fd, out, sizeof out, 0) < 0) send_failures++; /* it times out and goes again */
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    poll(&p, 1, 10);
    for (;;) {
      ssize_t n = recv(fd, in, sizeof in, 0);
      if (n < 0) break; /* EAGAIN: drained */
      now = now_ns();
      if (n < 8) { invalid++; continue; }
      uint32_t action = get32(in), tid = get32(in + 4);
      if (renewing && tid == connect_tid) {
        if (action == 0 && n >= 16) {
          connection_id = get64(in + 8);
          connected_at = now;
          renewing = 0;
        }
        continue;
      }
      uint32_t raw = tid ^ salt;
      int s = (int)(raw & ((1u << SLOT_BITS) - 1));
      if (s >= window || state[s] != ANNOUNCING || (raw >> SLOT_BITS) != seq[s]) { late++; continue; }
      state[s] = IDLE;
      if (action == 3) { error_responses++; continue; }
      if (action != 1 || n < 20 || (n - 20) % 6 != 0) { invalid++; continue; }
      int32_t interval = (int32_t)get32(in + 8), leechers = (int32_t)get32(in + 12), seeders = (int32_t)get32(in + 16);
      long long got = (n - 20) / 6;
      if (interval < 0 || leechers < 0 || seeders < 0 || (num_want >= 0 && got > num_want)
          || got > (long long)leechers + seeders) {
        invalid++;
        continue;
      }
      announced[peer_of[s]] = 1;
      if (sent_at[s] >= measure_from) {
        uint64_t took = now - sent_at[s];
        announces++;
        sum_ns += took;
        if (took > max_ns) max_ns = took;
        uint64_t us = took / 1000;
        histogram[us > HISTOGRAM_US ? HISTOGRAM_US : us]++;
      }
    }
    now = now_ns();
    if (now - last_scan > 10000000ULL) { /* every 10 ms: what waited too long goes again */
      last_scan = now;
      for (int s = 0; s < window; s++) {
        if (state[s] == ANNOUNCING && now - sent_at[s] > timeout_ns) {
          if (sent_at[s] >= measure_from) timeouts++;
          state[s] = IDLE;
        }
      }
    }
  }

  long long p50 = -1, p90 = -1, p99 = -1, seen = 0;
  for (int us = 0; us <= HISTOGRAM_US && announces > 0; us++) {
    seen += histogram[us];
    if (p50 < 0 && seen * 100 >= announces * 50) p50 = us;
    if (p90 < 0 && seen * 100 >= announces * 90) p90 = us;
    if (p99 < 0 && seen * 100 >= announces * 99) p99 = us;
  }
  double measured = (deadline - measure_from) / 1e9;
  printf("mode=load window=%d seconds=%.3f announces=%lld rate=%.1f p50_us=%lld p90_us=%lld p99_us=%lld"
      " max_us=%llu mean_us=%.1f errors=%lld error_responses=%lld invalid=%lld timeouts=%lld late=%lld"
      " unreachable=0 send_failures=%lld connects=%lld peers=%d acknowledged=0 failed=0\n",
      window, measured, announces, announces / measured, p50 < 0 ? 0 : p50, p90 < 0 ? 0 : p90,
      p99 < 0 ? 0 : p99, (unsigned long long)(max_ns / 1000), announces ? sum_ns / 1e3 / announces : 0.0,
      error_responses + invalid, error_responses, invalid, timeouts, late, send_failures, connects, peers);
  return 0;
}
