// A Go admission webhook for odin.moreh.io/v1alpha1 built on
// controller-runtime, doing the work of the TypeScript webhook on typed
// structs, as a baseline for the benchmark in bench/run.ts. It reads
// templates and services from YAML folders, serves the three webhook paths
// over HTTPS and /readyz over plain HTTP, and logs one JSON line per review.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/go-logr/logr"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/webhook"
	"sigs.k8s.io/controller-runtime/pkg/webhook/admission"
)

type options struct {
	host, tlsCert, tlsKey     string
	templatesDir, servicesDir string
	systemNamespace           string
	port, healthPort          int
}

func parseOptions() options {
	var o options
	flag.StringVar(&o.host, "host", "127.0.0.1", "address both ports bind to")
	flag.IntVar(&o.port, "port", 9443, "HTTPS port for admission reviews")
	flag.IntVar(&o.healthPort, "health-port", 9080, "plain HTTP port for /readyz")
	flag.StringVar(&o.tlsCert, "tls-cert", "certs/tls.crt", "serving certificate (PEM)")
	flag.StringVar(&o.tlsKey, "tls-key", "certs/tls.key", "private key of the serving certificate (PEM), in the same folder")
	flag.StringVar(&o.templatesDir, "templates-dir", "", "folder of InferenceServiceTemplate YAML files")
	flag.StringVar(&o.servicesDir, "services-dir", "", "folder of InferenceService YAML files")
	flag.StringVar(&o.systemNamespace, "system-namespace", "mif", "namespace searched for templates after the service's")
	flag.Parse()
	return o
}

func loadStore(o options, logger *slog.Logger) (*store, error) {
	s := newStore(o.systemNamespace)
	if o.templatesDir != "" {
		if err := s.loadTemplates(o.templatesDir); err != nil {
			return nil, err
		}
	}
	if o.servicesDir != "" {
		skipped, err := s.loadServices(o.servicesDir)
		if err != nil {
			return nil, err
		}
		if skipped > 0 {
			logger.Warn("skipped InferenceServices that do not decode into the Go types", "count", skipped)
		}
	}
	return s, nil
}

func main() {
	o := parseOptions()
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	ctrllog.SetLogger(logr.FromSlogHandler(logger.Handler()))

	s, err := loadStore(o, logger)
	if err != nil {
		logger.Error("loading templates and services failed", "error", err)
		os.Exit(1)
	}
	if filepath.Dir(o.tlsCert) != filepath.Dir(o.tlsKey) {
		logger.Error("--tls-cert and --tls-key must be in the same folder", "cert", o.tlsCert, "key", o.tlsKey)
		os.Exit(2)
	}

	server := webhook.NewServer(webhook.Options{
		Host:     o.host,
		Port:     o.port,
		CertDir:  filepath.Dir(o.tlsCert),
		CertName: filepath.Base(o.tlsCert),
		KeyName:  filepath.Base(o.tlsKey),
	})
	registerWebhooks(server, s, logger)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go serveHealth(ctx, o, server, logger)
	logger.Info("server starting", "port", o.port, "templates", len(s.templates), "services", len(s.services))
	if err := server.Start(ctx); err != nil {
		logger.Error("server failed", "error", err)
		os.Exit(1)
	}
}

func registerWebhooks(server webhook.Server, s *store, logger *slog.Logger) {
	scheme := newScheme()
	hooks := map[string]*admission.Webhook{
		"/mutate-odin-moreh-io-v1alpha1-inferenceservice":           admission.WithDefaulter[*InferenceService](scheme, serviceDefaulter{s}),
		"/validate-odin-moreh-io-v1alpha1-inferenceservice":         admission.WithValidator[*InferenceService](scheme, serviceValidator{s}),
		"/validate-odin-moreh-io-v1alpha1-inferenceservicetemplate": admission.WithValidator[*InferenceServiceTemplate](scheme, templateValidator{s}),
	}
	for path, hook := range hooks {
		hook.Handler = loggedHandler{path: path, inner: hook.Handler, logger: logger}
		server.Register(path, hook)
	}
}

// serveHealth serves /readyz, which returns 200 once the webhook server listens.
func serveHealth(ctx context.Context, o options, server webhook.Server, logger *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := server.StartedChecker()(r); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	health := &http.Server{Addr: net.JoinHostPort(o.host, strconv.Itoa(o.healthPort)), Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = health.Close()
	}()
	if err := health.ListenAndServe(); err != nil && err != http.ErrServerClosed {
		logger.Error("health server failed", "error", err)
	}
}

// loggedHandler writes one decision line per review, as the TypeScript
// webhook does, so both servers pay for logging.
type loggedHandler struct {
	path   string
	inner  admission.Handler
	logger *slog.Logger
}

func (h loggedHandler) Handle(ctx context.Context, request admission.Request) admission.Response {
	start := time.Now()
	response := h.inner.Handle(ctx, request)
	code := int32(200)
	if response.Result != nil && response.Result.Code != 0 {
		code = response.Result.Code
	}
	h.logger.Info("admission review decided",
		"webhook", h.path, "uid", string(request.UID), "kind", request.Kind.Kind,
		"namespace", request.Namespace, "name", request.Name, "operation", string(request.Operation),
		"allowed", response.Allowed, "code", code, "patchOperations", len(response.Patches),
		"warnings", len(response.Warnings), "durationMs", float64(time.Since(start).Microseconds())/1000)
	return response
}
