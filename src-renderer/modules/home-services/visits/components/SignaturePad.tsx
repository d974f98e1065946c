import { Box, Button, Group, Text } from '@mantine/core';
import { useEffect, useRef, type PointerEvent } from 'react';

interface SignaturePadProps {
  /** Called with a PNG data URL after each stroke, or null once cleared. */
  onChange(dataUrl: string | null): void;
  label?: string;
  height?: number;
}

/**
 * The customer signs with a finger, a stylus or the mouse. Pointer events cover all three; the
 * canvas is scaled for the screen's pixel density so the stored PNG is sharp but small.
 */
export function SignaturePad({ onChange, label = 'Customer signature', height = 160 }: SignaturePadProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const dirty = useRef(false);

  useEffect(() => {
    const el = canvas.current;
    if (!el) return;
    const ratio = window.devicePixelRatio || 1;
    el.width = el.offsetWidth * ratio;
    el.height = height * ratio;
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.scale(ratio, ratio);
    ctx.lineWidth = 2;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#1a1b1e';
  }, [height]);

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };
  const start = (event: PointerEvent<HTMLCanvasElement>) => {
    const ctx = event.currentTarget.getContext('2d');
    if (!ctx) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drawing.current = true;
    const { x, y } = point(event);
    ctx.beginPath();
    ctx.moveTo(x, y);
  };
  const move = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const ctx = event.currentTarget.getContext('2d');
    if (!ctx) return;
    const { x, y } = point(event);
    ctx.lineTo(x, y);
    ctx.stroke();
    dirty.current = true;
  };
  const end = () => {
    if (!drawing.current) return;
    drawing.current = false;
    if (dirty.current && canvas.current) onChange(canvas.current.toDataURL('image/png'));
  };
  const clear = () => {
    const el = canvas.current;
    el?.getContext('2d')?.clearRect(0, 0, el.width, el.height);
    dirty.current = false;
    onChange(null);
  };

  return (
    <Box>
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={clear}>
          Clear
        </Button>
      </Group>
      <canvas
        ref={canvas}
        aria-label={label}
        role="img"
        onPointerDown={start}
        onPointerMove={move}
        onPointerUp={end}
        onPointerLeave={end}
        style={{
          width: '100%',
          height,
          touchAction: 'none',
          border: '1px dashed var(--mantine-color-default-border)',
          borderRadius: 8,
          background: 'var(--mantine-color-body)',
          cursor: 'crosshair',
        }}
      />
    </Box>
  );
}
