/*
 * The engine's one clock, and the timers armed on it. The real clock is
 * CLOCK_MONOTONIC and its timers are timerfds; the virtual clock, which
 * the simulated network's tests run on, stands still while the engine
 * works and jumps to the earliest timer when it has nothing to do, so a
 * scan of the simulation takes the same course on a busy machine as on
 * an idle one.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdbool.h>
#include <stdint.h>

uint64_t	clock_now_ns(void);
void		clock_timer_set(int, uint64_t, uint64_t);
void		clock_virtual_begin(uint64_t);
void		clock_virtual_end(void);
bool		clock_is_virtual(void);
bool		clock_virtual_advance(void);

#endif
