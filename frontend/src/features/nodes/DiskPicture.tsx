import { formatBytes } from '../../components/format';
import type { Disk } from './api';

// Okabe-Ito: told apart with every common colour vision deficiency; the filesystem is also written.
const FILESYSTEM_COLOURS: Record<string, string> = {
  ext4: '#0072B2', ext3: '#0072B2', ext2: '#0072B2', xfs: '#009E73', btrfs: '#56B4E9', ntfs: '#E69F00',
  vfat: '#CC79A7', swap: '#D55E00', crypto_LUKS: '#000000',
};
export const colourOf = (filesystem?: string | null) => FILESYSTEM_COLOURS[filesystem ?? ''] ?? '#999999';

/**
 * A disk's partition table to scale: each partition as wide as its share of the disk, coloured by
 * filesystem, its used part shaded darker. Text carries the same facts for screen readers.
 */
export function DiskPicture({ disk }: { disk: Disk }) {
  const size = disk.size_bytes ?? 1;
  const partitions = disk.partitions ?? [];
  const description = partitions.length === 0
    ? 'no partition table'
    : partitions.map((partition) => `partition ${partition.number}: ${partition.filesystem ?? 'unknown'} ${formatBytes(partition.size_bytes)}`
      + (partition.used_bytes != null ? `, ${formatBytes(partition.used_bytes)} used` : '')).join('; ');
  return (
    <figure className="disk-picture">
      <svg viewBox="0 0 1000 40" preserveAspectRatio="none" role="img" aria-label={`Partitions of ${disk.stable_id}: ${description}`}>
        <rect x="0" y="0" width="1000" height="40" fill="#f2f2f2" stroke="#666" />
        {partitions.map((partition) => {
          const x = ((partition.start_bytes ?? 0) / size) * 1000;
          const width = Math.max(1, ((partition.size_bytes ?? 0) / size) * 1000);
          const usedShare = partition.used_bytes != null && partition.size_bytes ? Math.min(1, partition.used_bytes / partition.size_bytes) : 0;
          return (
            <g key={partition.number}>
              <rect x={x} y="2" width={width} height="36" fill={colourOf(partition.filesystem)} fillOpacity="0.45" stroke="#222" />
              {usedShare > 0 && <rect x={x} y="2" width={width * usedShare} height="36" fill={colourOf(partition.filesystem)} />}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul className="legend">
          {partitions.map((partition) => (
            <li key={partition.number}>
              <span className="swatch" style={{ background: colourOf(partition.filesystem) }} aria-hidden="true" />
              {partition.number}: {partition.filesystem ?? 'unknown'}{partition.label ? ` "${partition.label}"` : ''} {formatBytes(partition.size_bytes)}
              {partition.used_bytes != null && ` (${formatBytes(partition.used_bytes)} used)`}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
