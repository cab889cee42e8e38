// Package legacyplugin is the host side of the two services that
// grafana-plugin-sdk-go v0.300.0 dropped, AdmissionControl and
// ResourceConversion, driven as a Grafana built on an older SDK drives them:
// go-plugin plugins named "admission" and "conversion" whose gRPC clients call
// `/pluginv2.AdmissionControl/*` and `/pluginv2.ResourceConversion/*`.
//
// The messages (gfsdk_interop_legacy.proto) are wire-compatible copies of the
// pre-v0.300.0 ones in a proto package of their own; the method paths are
// written here by hand because the proto package differs from `pluginv2`, so
// generated stubs would call the wrong paths.
package legacyplugin

//go:generate sh gen.sh

import (
	"context"

	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// The method paths of the services as the SDK before v0.300.0 served them.
const (
	ValidateAdmissionMethod = "/pluginv2.AdmissionControl/ValidateAdmission"
	MutateAdmissionMethod   = "/pluginv2.AdmissionControl/MutateAdmission"
	ConvertObjectsMethod    = "/pluginv2.ResourceConversion/ConvertObjects"
)

// AdmissionClient calls the AdmissionControl service.
type AdmissionClient interface {
	ValidateAdmission(ctx context.Context, in *AdmissionRequest, opts ...grpc.CallOption) (*ValidationResponse, error)
	MutateAdmission(ctx context.Context, in *AdmissionRequest, opts ...grpc.CallOption) (*MutationResponse, error)
}

// ConversionClient calls the ResourceConversion service.
type ConversionClient interface {
	ConvertObjects(ctx context.Context, in *ConversionRequest, opts ...grpc.CallOption) (*ConversionResponse, error)
}

type admissionClient struct{ cc grpc.ClientConnInterface }

// NewAdmissionClient returns an AdmissionControl client on cc.
func NewAdmissionClient(cc grpc.ClientConnInterface) AdmissionClient { return &admissionClient{cc} }

func (c *admissionClient) ValidateAdmission(ctx context.Context, in *AdmissionRequest, opts ...grpc.CallOption) (*ValidationResponse, error) {
	out := new(ValidationResponse)
	if err := c.cc.Invoke(ctx, ValidateAdmissionMethod, in, out, opts...); err != nil {
		return nil, err
	}
	return out, nil
}

func (c *admissionClient) MutateAdmission(ctx context.Context, in *AdmissionRequest, opts ...grpc.CallOption) (*MutationResponse, error) {
	out := new(MutationResponse)
	if err := c.cc.Invoke(ctx, MutateAdmissionMethod, in, out, opts...); err != nil {
		return nil, err
	}
	return out, nil
}

type conversionClient struct{ cc grpc.ClientConnInterface }

// NewConversionClient returns a ResourceConversion client on cc.
func NewConversionClient(cc grpc.ClientConnInterface) ConversionClient { return &conversionClient{cc} }

func (c *conversionClient) ConvertObjects(ctx context.Context, in *ConversionRequest, opts ...grpc.CallOption) (*ConversionResponse, error) {
	out := new(ConversionResponse)
	if err := c.cc.Invoke(ctx, ConvertObjectsMethod, in, out, opts...); err != nil {
		return nil, err
	}
	return out, nil
}

// AdmissionGRPCPlugin is the go-plugin "admission" plugin of a Grafana host
// before SDK v0.300.0 (its grpcplugin.AdmissionGRPCPlugin), client side only.
type AdmissionGRPCPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
}

// GRPCServer is not served by a host.
func (p *AdmissionGRPCPlugin) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error { return nil }

// GRPCClient returns the AdmissionControl client dispensed for "admission".
func (p *AdmissionGRPCPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return NewAdmissionClient(c), nil
}

// ConversionGRPCPlugin is the go-plugin "conversion" plugin of a Grafana host
// before SDK v0.300.0 (its grpcplugin.ConversionGRPCPlugin), client side only.
type ConversionGRPCPlugin struct {
	goplugin.NetRPCUnsupportedPlugin
}

// GRPCServer is not served by a host.
func (p *ConversionGRPCPlugin) GRPCServer(*goplugin.GRPCBroker, *grpc.Server) error { return nil }

// GRPCClient returns the ResourceConversion client dispensed for "conversion".
func (p *ConversionGRPCPlugin) GRPCClient(_ context.Context, _ *goplugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return NewConversionClient(c), nil
}
