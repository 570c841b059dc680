/* check_main.c: the one main() every lab's Check suite runs under. */
#include <check.h>
#include <stdlib.h>

#include "racelab_test.h"

/*
 * The lab's test file defines lab_suite(); the harness links this main in, so
 * every lab runs the same way: fork mode (a crash or a hang stays inside one
 * test), the XML log the harness asks for in CK_XML_LOG_FILE_NAME, and an exit
 * status that is non-zero when any test did not pass.
 */
int main(void)
{
	SRunner *sr = srunner_create(lab_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
