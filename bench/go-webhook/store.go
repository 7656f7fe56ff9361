// Templates and services read from YAML files once at start, with an index
// from template names to the services that reference them, grouped by
// namespace so that counting a template's users costs one step per namespace.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

type storedTemplate struct {
	template *InferenceServiceTemplate
	// specJSON is the template's spec, encoded once for strategic merge.
	specJSON []byte
	// specTree is the spec decoded into maps, read-only, for finding its template strings.
	specTree interface{}
}

type store struct {
	systemNamespace string
	templates       map[string]*storedTemplate
	services        map[string]*InferenceService
	// users maps a template name to namespace to the keys of the services
	// that reference it, in load order.
	users map[string]map[string][]string
}

func newStore(systemNamespace string) *store {
	return &store{
		systemNamespace: systemNamespace,
		templates:       map[string]*storedTemplate{},
		services:        map[string]*InferenceService{},
		users:           map[string]map[string][]string{},
	}
}

// yamlDocuments splits every .yaml, .yml or .json file of a folder into
// documents. sigs.k8s.io/yaml reads JSON as it is.
func yamlDocuments(dir string) ([][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var documents [][]byte
	for _, entry := range entries {
		name := entry.Name()
		manifest := strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") ||
			strings.HasSuffix(name, ".json")
		if entry.IsDir() || !manifest {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		for _, document := range bytes.Split(data, []byte("\n---")) {
			if len(bytes.TrimSpace(document)) > 0 {
				documents = append(documents, document)
			}
		}
	}
	return documents, nil
}

func kindOf(document []byte) string {
	var meta struct {
		Kind string `json:"kind"`
	}
	if err := yaml.Unmarshal(document, &meta); err != nil {
		return ""
	}
	return meta.Kind
}

func (s *store) loadTemplates(dir string) error {
	documents, err := yamlDocuments(dir)
	if err != nil {
		return err
	}
	for _, document := range documents {
		if kindOf(document) != kindTemplate {
			continue
		}
		template := &InferenceServiceTemplate{}
		if err := yaml.Unmarshal(document, template); err != nil {
			return fmt.Errorf("invalid InferenceServiceTemplate in %s: %w", dir, err)
		}
		s.putTemplate(template)
	}
	return nil
}

func (s *store) putTemplate(template *InferenceServiceTemplate) {
	if template.Namespace == "" {
		template.Namespace = s.systemNamespace
	}
	specJSON, err := json.Marshal(template.Spec)
	if err != nil {
		return
	}
	var specTree interface{}
	if err := json.Unmarshal(specJSON, &specTree); err != nil {
		return
	}
	s.templates[template.Namespace+"/"+template.Name] = &storedTemplate{template, specJSON, specTree}
}

// loadServices indexes the services of a folder and returns how many were
// skipped because they do not decode into the Go types.
func (s *store) loadServices(dir string) (int, error) {
	documents, err := yamlDocuments(dir)
	if err != nil {
		return 0, err
	}
	skipped := 0
	for _, document := range documents {
		if kindOf(document) != kindInferenceService {
			continue
		}
		service := &InferenceService{}
		if err := yaml.Unmarshal(document, service); err != nil {
			skipped++
			continue
		}
		s.putService(service)
	}
	return skipped, nil
}

func (s *store) putService(service *InferenceService) {
	if service.Namespace == "" {
		service.Namespace = "default"
	}
	key := service.Namespace + "/" + service.Name
	s.services[key] = service
	seen := map[string]bool{}
	for _, ref := range service.Spec.TemplateRefs {
		if !supportedReference(ref) || seen[ref.Name] {
			continue
		}
		seen[ref.Name] = true
		byNamespace := s.users[ref.Name]
		if byNamespace == nil {
			byNamespace = map[string][]string{}
			s.users[ref.Name] = byNamespace
		}
		byNamespace[service.Namespace] = append(byNamespace[service.Namespace], key)
	}
}

func (s *store) template(namespace, name string) *storedTemplate {
	return s.templates[namespace+"/"+name]
}

// usersOf returns how many services resolve a reference to the template
// namespace/name, and the keys of at most limit of them.
func (s *store) usersOf(namespace, name string, limit int) (int, []string) {
	byNamespace := s.users[name]
	namespaces := []string{namespace}
	if namespace == s.systemNamespace {
		namespaces = namespaces[:0]
		for ns := range byNamespace {
			if ns == namespace || s.template(ns, name) == nil {
				namespaces = append(namespaces, ns)
			}
		}
		sort.Strings(namespaces)
	}
	total := 0
	var keys []string
	for _, ns := range namespaces {
		users := byNamespace[ns]
		total += len(users)
		for _, key := range users {
			if len(keys) >= limit {
				break
			}
			keys = append(keys, key)
		}
	}
	return total, keys
}
