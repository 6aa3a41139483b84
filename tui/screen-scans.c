/*
 * The scans on this machine, as `tact list` knows them: open one to
 * watch it if it runs, or to explore it if it has finished.
 */
#include "tui.h"

static void	screen_scans_draw(struct tui *, WINDOW *);

const struct screen_ops screen_scans_ops = {
	.name = "scans",
	.draw = screen_scans_draw,
};

static void
screen_scans_draw(struct tui *t, WINDOW *w)
{
	tui_draw_text(w, 1, 1, -1, ROLE_NORMAL, "no scans");
}
