import { describe, expect, it } from 'vitest';
import { adapterFacts, describeAdapter, isSoftwareAdapter } from './adapter';

const facts = (info: Record<string, unknown>) => adapterFacts(info);

describe('WebGPU adapter facts', () => {
  it('takes hardware adapters as hardware', () => {
    const nvidia = facts({ vendor: 'nvidia', architecture: 'hopper', device: '', description: 'NVIDIA H200', isFallbackAdapter: false });
    const apple = facts({ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' });
    const amd = facts({ vendor: 'amd', architecture: 'rdna-3', description: 'AMD Radeon RX 7600 (RADV NAVI33)' });
    for (const adapter of [nvidia, apple, amd]) expect(isSoftwareAdapter(adapter)).toBe(false);
    expect(describeAdapter(nvidia)).toBe('GPU (WebGPU: nvidia hopper, NVIDIA H200; hardware adapter)');
  });

  it('takes CPU emulations as software, however they announce themselves', () => {
    // What Dawn reports for Mesa's llvmpipe (measured on this project's CI machine).
    const llvmpipe = facts({
      vendor: 'mesa',
      architecture: 'software',
      device: 'llvmpipe-llvm-15-0-6-256-bits-',
      description: 'llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1',
      isFallbackAdapter: true,
    });
    expect(isSoftwareAdapter(llvmpipe)).toBe(true);
    expect(isSoftwareAdapter(facts({ vendor: 'google', architecture: '', description: 'SwiftShader Device (Subzero)' }))).toBe(true);
    expect(isSoftwareAdapter(facts({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }))).toBe(true);
    expect(isSoftwareAdapter(facts({ vendor: 'intel', architecture: 'gen-12lp', isFallbackAdapter: true }))).toBe(true);
    expect(describeAdapter(llvmpipe)).toBe('GPU (WebGPU: mesa software, llvmpipe: Mesa 25.0.7-2~bpo12+1 (LLVM 15.0.6) 0.0.1; software adapter)');
  });

  it('tolerates adapters that omit fields', () => {
    const bare = adapterFacts(undefined);
    expect(bare).toEqual({ vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false });
    expect(describeAdapter(bare)).toBe('GPU (WebGPU: unknown vendor; hardware adapter)');
  });
});
