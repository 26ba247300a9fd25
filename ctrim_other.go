//go:build !linux

package main

func trimCHeap() {}
