/* db.h: the pretend database behind the pool's connections (the lab provides it). */
#ifndef DB_H
#define DB_H

enum { DB_CONNS = 4 };  /* connections the database accepts: numbers 0..DB_CONNS-1 */

/* Run query on connection conn: 0 if it succeeds, -1 if the database rejects it
 * (every negative query is a syntax error). */
int db_exec(int conn, int query);

/* Queries run on a connection someone else was using, or on no connection at all. */
int db_misuse(void);

/* Queries run on connection conn so far (0..DB_CONNS-1). */
int db_queries(int conn);

#endif
