/* SPDX-License-Identifier: GPL-2.0-only */
#include "boot/settings.h"
#include "hv/number.h"
#include "hv/rules/rule_parse.h"

static size_t str_len(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* Copies src into dst[size]; false (dst unchanged) when it does not fit. */
static bool copy_str(char *dst, size_t size, const char *src)
{
	size_t n = str_len(src);
	if (n >= size)
		return false;
	for (size_t i = 0; i <= n; i++)
		dst[i] = src[i];
	return true;
}

static bool ends_with_efi(const char *w)
{
	size_t n = str_len(w);
	if (n < 4)
		return false;
	const char *e = w + n - 4;
	return e[0] == '.' && (e[1] | 0x20) == 'e' && (e[2] | 0x20) == 'f' && (e[3] | 0x20) == 'i';
}

static bool parse_on_off(const char *v, bool *out)
{
	if (str_eq(v, "on"))
		*out = true;
	else if (str_eq(v, "off"))
		*out = false;
	else
		return false;
	return true;
}


static bool parse_hex16(const char *s, uint16_t *out)
{
	uint64_t v;
	if (!parse_hex(s, &v) || v > 0xFFFF)
		return false;
	*out = (uint16_t)v;
	return true;
}

/* The legacy COM port bases (IBM PC/AT convention). */
static bool parse_uart(const char *v, uint16_t *out)
{
	static const struct { const char *name; uint16_t base; } names[] = {
		{ "com1", 0x3F8 }, { "com2", 0x2F8 }, { "com3", 0x3E8 }, { "com4", 0x2E8 },
		{ "none", 0 },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (str_eq(v, names[i].name)) {
			*out = names[i].base;
			return true;
		}
	}
	return parse_hex16(v, out) && *out != 0;
}

/* Joins words into the next image's option string; words holding blanks get
 * their quotes back. */
static bool join_args(char *dst, size_t size, char *const *words, unsigned n)
{
	size_t used = 0;
	for (unsigned i = 0; i < n; i++) {
		const char *w = words[i];
		bool quote = false;
		for (const char *p = w; *p; p++)
			quote |= *p == ' ' || *p == '\t';
		size_t need = str_len(w) + (i ? 1 : 0) + (quote ? 2 : 0);
		if (used + need >= size)
			return false;
		if (i)
			dst[used++] = ' ';
		if (quote)
			dst[used++] = '"';
		for (const char *p = w; *p; p++)
			dst[used++] = *p;
		if (quote)
			dst[used++] = '"';
	}
	dst[used] = '\0';
	return true;
}

bool settings_next_options(const struct boot_settings *s, bool shell_style, char *dst,
			   size_t size)
{
	if (!shell_style)
		return copy_str(dst, size, s->next_args);
	char *path = (char *)s->next;
	if (!join_args(dst, size, &path, 1))
		return false;
	size_t used = str_len(dst);
	if (!s->next_args[0])
		return true;
	if (used + 1 >= size)
		return false;
	dst[used] = ' ';
	return copy_str(dst + used + 1, size - used - 1, s->next_args);
}

void settings_defaults(struct boot_settings *s)
{
	*s = (struct boot_settings){ .log_level = LOG_INFO, .uart_base = 0x3F8, .hypervisor = true,
				     .devices.vuart = true };
	copy_str(s->config_path, sizeof(s->config_path), SETTINGS_DEFAULT_CONFIG);
}

/* A rule line (hv/rules/rule.h): "rule ...", "hide pci ...", "protect ...",
 * "trace ...", "deny ...". Checked for clashes when it is installed
 * (hv/dev/rules.c), where every rule is known. */
static const char *add_rule(struct device_config *d, const char *key, char *const *args,
			    unsigned nargs, unsigned line_no)
{
	static char why[96];
	char *words[CFG_MAX_WORDS + 1];
	words[0] = (char *)key;
	for (unsigned i = 0; i < nargs && i < CFG_MAX_WORDS; i++)
		words[i + 1] = args[i];
	struct rule r;
	if (!rule_parse(words, nargs + 1, &r, why, sizeof(why)))
		return why;
	if (d->nrules == DEVICES_MAX_RULES)
		return "too many rules";
	r.line = line_no;
	d->rules[d->nrules++] = r;
	return NULL;
}

static bool is_known(const char *key, bool from_options)
{
	return str_eq(key, "next") || str_eq(key, "log") || str_eq(key, "uart") ||
	       str_eq(key, "hypervisor") || str_eq(key, "testdev") || rule_keyword(key) ||
	       str_eq(key, "debugcon") || str_eq(key, "pcimon") ||
	       str_eq(key, "vuart") ||
	       (from_options && str_eq(key, "config"));
}

/* Applies "key value [rest...]"; returns NULL or what is wrong. */
static const char *apply(struct boot_settings *s, const char *key, char *const *args,
			 unsigned nargs, bool from_options, unsigned line_no)
{
	if (!is_known(key, from_options))
		return "unknown setting";
	if (str_eq(key, "next")) {
		if (nargs < 1)
			return "next needs the path of an EFI image";
		struct boot_settings t = *s;
		if (!copy_str(t.next, sizeof(t.next), args[0]))
			return "path too long";
		if (!join_args(t.next_args, sizeof(t.next_args), args + 1, nargs - 1))
			return "options for the next image too long";
		*s = t;
		return NULL;
	}
	/* "trace filter ..." and "trace limit ..." set how traces print; any
	 * other "trace" line is a rule. */
	bool trace_option = false;
	const char *why = str_eq(key, "trace")
				  ? trace_config_apply(&s->devices.trace, args, nargs, &trace_option)
				  : NULL;
	if (trace_option)
		return why;
	if (rule_keyword(key))
		return add_rule(&s->devices, key, args, nargs, line_no);
	if (nargs != 1)
		return "takes exactly one value";
	if (str_eq(key, "log")) {
		enum log_level l;
		if (!log_level_parse(args[0], &l))
			return "log level must be error, warn, info or debug";
		s->log_level = l;
		return NULL;
	}
	if (str_eq(key, "uart")) {
		uint16_t base;
		if (!parse_uart(args[0], &base))
			return "uart must be com1..com4, none, or an I/O port like 0x3f8";
		s->uart_base = base;
		return NULL;
	}
	bool *flag = str_eq(key, "hypervisor") ? &s->hypervisor
		     : str_eq(key, "testdev")	 ? &s->devices.testdev
		     : str_eq(key, "debugcon")	 ? &s->devices.debugcon
		     : str_eq(key, "pcimon")	 ? &s->devices.pcimon
		     : str_eq(key, "vuart")	 ? &s->devices.vuart
						 : NULL;
	if (flag) {
		if (!parse_on_off(args[0], flag))
			return "takes on or off";
		return NULL;
	}
	/* config: only a load option can name the file it is read from. */
	if (!copy_str(s->config_path, sizeof(s->config_path), args[0]))
		return "path too long";
	return NULL;
}

void settings_apply_directive(struct boot_settings *s, const struct cfg_line *line,
			      const struct settings_source *src)
{
	const char *why = apply(s, line->argv[0], line->argv + 1, line->argc - 1, false,
				 line->line_no);
	if (why && src->error)
		src->error(src->ctx, src->name, line->line_no, line->text, why);
}

void settings_apply_options(struct boot_settings *s, const struct cfg_line *words,
			    const struct settings_source *src)
{
	for (unsigned i = 0; i < words->argc; i++) {
		char *w = words->argv[i];
		char *eq = w;
		while (*eq && *eq != '=')
			eq++;
		if (!*eq) {
			if (i == 0 && ends_with_efi(w))
				continue;
			if (src->error)
				src->error(src->ctx, src->name, 0, w, "not a key=value word");
			continue;
		}
		*eq = '\0';
		char *value = eq + 1;
		bool is_next = str_eq(w, "next");
		/* next= takes the remaining words as the next image's options. */
		char *args[CFG_MAX_WORDS];
		unsigned nargs = 0;
		args[nargs++] = value;
		if (is_next)
			while (i + 1 < words->argc)
				args[nargs++] = words->argv[++i];
		const char *why = value[0] || is_next ? apply(s, w, args, nargs, true, 0)
						      : "empty value";
		if (why && src->error) {
			*eq = '=';
			src->error(src->ctx, src->name, 0, w, why);
		}
	}
}
