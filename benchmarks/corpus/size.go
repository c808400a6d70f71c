package corpus

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSize parses a byte count such as "256MB", "2GB", "512KiB" or "1000".
// Units are binary: KB and KiB both mean 1024 bytes.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{
		{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30},
		{"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1},
	} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("corpus: parse size %q: want a non-negative number with an optional unit (KB, MB, GB)", s)
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("corpus: parse size %q: too large", s)
	}
	return n * mult, nil
}
