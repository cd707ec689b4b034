package obs

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/sdk/client"
)

// TemporalMetrics adapts the Temporal SDK's metrics to a Prometheus registry,
// so worker and client metrics (task latencies, poll counts, failures) show
// on /metrics beside the product's own.
type TemporalMetrics struct {
	reg  prometheus.Registerer
	tags map[string]string
	vecs *vecCache
}

type vecCache struct {
	mu         sync.Mutex
	counters   map[string]*prometheus.CounterVec
	gauges     map[string]*prometheus.GaugeVec
	histograms map[string]*prometheus.HistogramVec
}

// NewTemporalMetrics returns a client.MetricsHandler writing to reg.
func NewTemporalMetrics(reg prometheus.Registerer) *TemporalMetrics {
	return &TemporalMetrics{reg: reg, tags: map[string]string{}, vecs: &vecCache{
		counters:   map[string]*prometheus.CounterVec{},
		gauges:     map[string]*prometheus.GaugeVec{},
		histograms: map[string]*prometheus.HistogramVec{},
	}}
}

var _ client.MetricsHandler = (*TemporalMetrics)(nil)

// WithTags returns a handler that adds tags to every metric.
func (m *TemporalMetrics) WithTags(tags map[string]string) client.MetricsHandler {
	merged := make(map[string]string, len(m.tags)+len(tags))
	for k, v := range m.tags {
		merged[k] = v
	}
	for k, v := range tags {
		merged[k] = v
	}
	return &TemporalMetrics{reg: m.reg, tags: merged, vecs: m.vecs}
}

func (m *TemporalMetrics) labels() ([]string, prometheus.Labels) {
	names := make([]string, 0, len(m.tags))
	for k := range m.tags {
		names = append(names, sanitize(k))
	}
	sort.Strings(names)
	values := prometheus.Labels{}
	for k, v := range m.tags {
		values[sanitize(k)] = v
	}
	return names, values
}

func key(name string, labels []string) string { return name + "|" + strings.Join(labels, ",") }

// Counter returns a counter.
func (m *TemporalMetrics) Counter(name string) client.MetricsCounter {
	names, values := m.labels()
	n := "temporal_" + sanitize(name)
	m.vecs.mu.Lock()
	defer m.vecs.mu.Unlock()
	k := key(n, names)
	vec, ok := m.vecs.counters[k]
	if !ok {
		vec = prometheus.NewCounterVec(prometheus.CounterOpts{Name: n, Help: "Temporal SDK counter " + name}, names)
		if err := m.reg.Register(vec); err != nil {
			if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
				if existing, ok := are.ExistingCollector.(*prometheus.CounterVec); ok {
					vec = existing
				}
			} else {
				return client.MetricsNopHandler.Counter(name)
			}
		}
		m.vecs.counters[k] = vec
	}
	return counter{vec.With(values)}
}

// Gauge returns a gauge.
func (m *TemporalMetrics) Gauge(name string) client.MetricsGauge {
	names, values := m.labels()
	n := "temporal_" + sanitize(name)
	m.vecs.mu.Lock()
	defer m.vecs.mu.Unlock()
	k := key(n, names)
	vec, ok := m.vecs.gauges[k]
	if !ok {
		vec = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: n, Help: "Temporal SDK gauge " + name}, names)
		if err := m.reg.Register(vec); err != nil {
			if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
				if existing, ok := are.ExistingCollector.(*prometheus.GaugeVec); ok {
					vec = existing
				}
			} else {
				return client.MetricsNopHandler.Gauge(name)
			}
		}
		m.vecs.gauges[k] = vec
	}
	return gauge{vec.With(values)}
}

// Timer returns a timer recorded as a histogram in seconds.
func (m *TemporalMetrics) Timer(name string) client.MetricsTimer {
	names, values := m.labels()
	n := "temporal_" + sanitize(name) + "_seconds"
	m.vecs.mu.Lock()
	defer m.vecs.mu.Unlock()
	k := key(n, names)
	vec, ok := m.vecs.histograms[k]
	if !ok {
		vec = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: n, Help: "Temporal SDK timer " + name, Buckets: prometheus.DefBuckets}, names)
		if err := m.reg.Register(vec); err != nil {
			if are, ok := err.(prometheus.AlreadyRegisteredError); ok {
				if existing, ok := are.ExistingCollector.(*prometheus.HistogramVec); ok {
					vec = existing
				}
			} else {
				return client.MetricsNopHandler.Timer(name)
			}
		}
		m.vecs.histograms[k] = vec
	}
	return timer{vec.With(values)}
}

type counter struct{ c prometheus.Counter }

func (c counter) Inc(d int64) { c.c.Add(float64(d)) }

type gauge struct{ g prometheus.Gauge }

func (g gauge) Update(v float64) { g.g.Set(v) }

type timer struct{ o prometheus.Observer }

func (t timer) Record(d time.Duration) { t.o.Observe(d.Seconds()) }

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}
