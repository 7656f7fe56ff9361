// Package render holds the data a template sees: the service's metadata and its
// merged spec.
package render

import "odin-webhook/test/oracle/gotemplate/v1alpha1"

type Context struct {
	Name      string
	Namespace string
	Labels    map[string]string
	Spec      v1alpha1.InferenceServiceSpec
}
