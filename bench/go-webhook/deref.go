// The deref template function: walks Go field names through pointers and
// yields nil as soon as a link is nil, so templates can read optional fields
// without an execution error.
package main

import (
	"fmt"
	"reflect"
)

func followPointers(value reflect.Value) reflect.Value {
	for value.IsValid() && (value.Kind() == reflect.Pointer || value.Kind() == reflect.Interface) {
		if value.IsNil() {
			return reflect.Value{}
		}
		value = value.Elem()
	}
	return value
}

func selectField(current reflect.Value, name string) (reflect.Value, error) {
	switch {
	case current.Kind() == reflect.Struct:
		field := current.FieldByName(name)
		if !field.IsValid() {
			return reflect.Value{}, fmt.Errorf("no field %q in type %s", name, current.Type())
		}
		return field, nil
	case current.Kind() == reflect.Map && current.Type().Key().Kind() == reflect.String:
		return current.MapIndex(reflect.ValueOf(name).Convert(current.Type().Key())), nil
	}
	return reflect.Value{}, fmt.Errorf("cannot select field %q in a value of type %s", name, current.Type())
}

func deref(value interface{}, names ...string) (interface{}, error) {
	current := reflect.ValueOf(value)
	for _, name := range names {
		current = followPointers(current)
		if !current.IsValid() {
			return nil, nil
		}
		next, err := selectField(current, name)
		if err != nil {
			return nil, err
		}
		current = next
	}
	current = followPointers(current)
	if !current.IsValid() {
		return nil, nil
	}
	return current.Interface(), nil
}
