/*
 * slowclients.c: many clients that trickle a request head and never finish it, for the
 * slow-client case of tests/faults/run.sh.
 *
 *   slowclients HOST PORT N SECONDS INTERVAL_MS
 *
 * Opens N connections to HOST:PORT (IPv4), sends each a request line, then one header line per
 * connection every INTERVAL_MS milliseconds, for SECONDS seconds; a connection the server
 * closes is opened again at once (as such a client does). Prints one line on stdout: the
 * connections opened, those the server closed, and the most held open at once. Raises its own
 * limit on open files for N connections.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int open_one(const struct sockaddr_in *sa)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: slowclients HOST PORT N SECONDS INTERVAL_MS\n");
        return 2;
    }
    int n = atoi(argv[3]);
    double secs = atof(argv[4]), every = atof(argv[5]) / 1000.0;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 64) {
        rl.rlim_cur = rl.rlim_max < (rlim_t)n + 64 ? rl.rlim_max : (rlim_t)n + 64;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)atoi(argv[2]));
    if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
        fprintf(stderr, "slowclients: bad address '%s'\n", argv[1]);
        return 2;
    }
    struct pollfd *p = calloc((size_t)n, sizeof(*p));
    int *sent = calloc((size_t)n, sizeof(*sent));
    if (!p || !sent)
        return 1;
    long opened = 0, closed = 0, most = 0;
    for (int i = 0; i < n; i++) {
        p[i].fd = open_one(&sa);
        p[i].events = POLLIN | POLLOUT;
        opened += p[i].fd >= 0;
    }
    double end = now() + secs, next = now();
    while (now() < end) {
        int held = 0;
        for (int i = 0; i < n; i++)
            held += p[i].fd >= 0;
        if (held > most)
            most = held;
        int wait = (int)((next - now()) * 1000);
        poll(p, (nfds_t)n, wait > 0 ? (wait < 200 ? wait : 200) : 0);
        for (int i = 0; i < n; i++) {
            if (p[i].fd < 0)
                continue;
            if (p[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                char buf[512];
                ssize_t r = read(p[i].fd, buf, sizeof(buf));
                if (r <= 0 || (p[i].revents & (POLLHUP | POLLERR))) {
                    /* closed by the server: such a client comes back */
                    close(p[i].fd);
                    closed++;
                    p[i].fd = open_one(&sa);
                    opened += p[i].fd >= 0;
                    sent[i] = 0;
                }
            }
        }
        if (now() >= next) {
            for (int i = 0; i < n; i++) {
                if (p[i].fd < 0)
                    continue;
                char line[64];
                int len = sent[i] == 0 ? snprintf(line, sizeof(line), "GET /api/health HTTP/1.1\r\n")
                                       : snprintf(line, sizeof(line), "X-Slow-%d: %d\r\n",
                                                  sent[i], i);
                if (write(p[i].fd, line, (size_t)len) == len)
                    sent[i]++;
                p[i].events = POLLIN;
            }
            next += every;
        }
    }
    printf("opened %ld, closed by the server %ld, most held at once %ld\n", opened, closed, most);
    for (int i = 0; i < n; i++)
        if (p[i].fd >= 0)
            close(p[i].fd);
    free(p);
    free(sent);
    return 0;
}
