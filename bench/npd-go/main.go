// Command npd-go measures and checks enospc's node-problem-detector export under Go's regexp, the
// engine NPD runs. It reads one JSON file written by bench/npd-go/write-input.ts.
//
//	go run . bench INPUT.json [STOCK_KERNEL_MONITOR.json]
//	go run . check INPUT.json
//
// bench does per line what NPD v0.8.21's log buffer does for every rule of a monitor: compile
// pattern+`\z` (no cache there) and search the buffered lines joined with "\n". check compiles every
// exported pattern the same way and requires each rule example to match and each non-example not to.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"
)

type monitor struct {
	Name       string   `json:"name"`
	BufferSize int      `json:"bufferSize"`
	Patterns   []string `json:"patterns"`
}

type check struct {
	Monitor string   `json:"monitor"`
	ID      string   `json:"id"`
	Pattern string   `json:"pattern"`
	Match   []string `json:"match"`
	NoMatch []string `json:"noMatch"`
}

type input struct {
	Lines    []string  `json:"lines"`
	Monitors []monitor `json:"monitors"`
	Checks   []check   `json:"checks"`
}

// stockConfig is the part of an NPD system-log-monitor config the benchmark needs.
type stockConfig struct {
	BufferSize int `json:"bufferSize"`
	Rules      []struct {
		Pattern string `json:"pattern"`
	} `json:"rules"`
}

func readJSON(path string, into interface{}) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, into)
}

// npdMatch is one rule against the buffer, as NPD v0.8.21 runs it: compiled afresh each time.
func npdMatch(pattern, buffer string) bool {
	return regexp.MustCompile(pattern+`\z`).FindStringIndex(buffer) != nil
}

// perLine runs every pattern on every line (the buffer holding the last bufferSize lines) and
// returns nanoseconds per line and how many matches fired. It repeats the pass until it has run at
// least minDuration so that short monitors are timed over enough work.
func perLine(patterns []string, bufferSize int, lines []string, minDuration time.Duration) (float64, int) {
	if bufferSize < 1 {
		bufferSize = 1
	}
	buffers := make([]string, len(lines))
	for i := range lines {
		start := i - bufferSize + 1
		if start < 0 {
			start = 0
		}
		buffers[i] = strings.Join(lines[start:i+1], "\n")
	}
	fired := 0
	passes := 0
	began := time.Now()
	for passes == 0 || time.Since(began) < minDuration {
		for _, buf := range buffers {
			for _, p := range patterns {
				if npdMatch(p, buf) && passes == 0 {
					fired++
				}
			}
		}
		passes++
	}
	elapsed := time.Since(began)
	return float64(elapsed.Nanoseconds()) / float64(passes*len(lines)), fired
}

func bench(in input, stockPath string) {
	fmt.Printf("%d healthy lines; per line every rule is compiled (pattern+`\\z`) and matched, as in NPD v0.8.21\n", len(in.Lines))
	fmt.Printf("%-38s %6s %7s %8s %12s %6s\n", "monitor", "rules", "buffer", "chars", "ns/line", "fired")
	var stockNs float64
	if stockPath == "" {
		fmt.Println("stock kernel-monitor.json: not given, no baseline (npm run bench:npd reads it from the NPD mirror)")
	} else {
		var stock stockConfig
		if err := readJSON(stockPath, &stock); err != nil {
			fmt.Printf("stock kernel-monitor.json: absent or unreadable (%v), no baseline\n", err)
		} else {
			patterns := make([]string, len(stock.Rules))
			for i, r := range stock.Rules {
				patterns[i] = r.Pattern
			}
			stockNs = report("npd stock kernel-monitor", patterns, stock.BufferSize, in.Lines)
		}
	}
	for _, m := range in.Monitors {
		ns := report(m.Name, m.Patterns, m.BufferSize, in.Lines)
		if stockNs > 0 {
			fmt.Printf("%-38s %.2fx the stock kernel monitor\n", "", ns/stockNs)
		}
	}
}

func report(name string, patterns []string, bufferSize int, lines []string) float64 {
	chars := 0
	for _, p := range patterns {
		chars += len(p)
	}
	ns, fired := perLine(patterns, bufferSize, lines, 2*time.Second)
	fmt.Printf("%-38s %6d %7d %8d %12.0f %6d\n", name, len(patterns), bufferSize, chars, ns, fired)
	return ns
}

func runChecks(in input) int {
	failures := 0
	examples := 0
	for _, c := range in.Checks {
		re, err := regexp.Compile(c.Pattern + `\z`)
		if err != nil {
			fmt.Printf("FAIL %s %s: does not compile under Go regexp: %v\n", c.Monitor, c.ID, err)
			failures++
			continue
		}
		for i, line := range c.Match {
			examples++
			if re.FindStringIndex(line) == nil {
				fmt.Printf("FAIL %s %s match[%d] does not match: %q\n", c.Monitor, c.ID, i, line)
				failures++
			}
		}
		for i, line := range c.NoMatch {
			examples++
			if re.FindStringIndex(line) != nil {
				fmt.Printf("FAIL %s %s noMatch[%d] matches: %q\n", c.Monitor, c.ID, i, line)
				failures++
			}
		}
	}
	fmt.Printf("checked %d patterns, %d examples under Go regexp: %d failures\n", len(in.Checks), examples, failures)
	return failures
}

func main() {
	if len(os.Args) < 3 || (os.Args[1] != "bench" && os.Args[1] != "check") {
		fmt.Fprintln(os.Stderr, "usage: npd-go bench INPUT.json [STOCK_KERNEL_MONITOR.json] | npd-go check INPUT.json")
		os.Exit(2)
	}
	var in input
	if err := readJSON(os.Args[2], &in); err != nil {
		fmt.Fprintf(os.Stderr, "npd-go: reading %s: %v\n", os.Args[2], err)
		os.Exit(2)
	}
	if os.Args[1] == "check" {
		if runChecks(in) > 0 {
			os.Exit(1)
		}
		return
	}
	stock := ""
	if len(os.Args) > 3 {
		stock = os.Args[3]
	}
	bench(in, stock)
}
