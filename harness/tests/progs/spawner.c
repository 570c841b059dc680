/* spawner.c: forks a grandchild that outlives it and sleeps (for the runner's tests). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* spawner [exit|hang [PIDFILE]]: PIDFILE gets the grandchild's pid, for the test to see it ended. */
int main(int argc, char **argv)
{
	pid_t child = fork();
	if (child == 0) {
		sleep(60);
		_exit(0);
	}
	if (argc > 2) {
		FILE *f = fopen(argv[2], "w");
		if (!f)
			return 4;
		fprintf(f, "%d\n", (int)child);
		fclose(f);
	}
	/* "exit": leave the grandchild behind; else hang too. */
	if (argc > 1 && strcmp(argv[1], "exit") == 0)
		return 3;
	sleep(60);
	return 0;
}
