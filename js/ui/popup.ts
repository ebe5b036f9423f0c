/** The one inline editor (rename box or edge editor) open over the canvas at a time. */
export class Popup {
  private box: HTMLElement | null = null;

  constructor(private readonly canvasHost: HTMLElement) {}

  close(): void {
    this.box?.remove();
    this.box = null;
  }

  /** Show `box` at a client point, in the canvas host's coordinates. */
  place(box: HTMLElement, clientX: number, clientY: number): void {
    const host = this.canvasHost.getBoundingClientRect();
    box.style.left = `${Math.max(0, clientX - host.left)}px`;
    box.style.top = `${Math.max(0, clientY - host.top)}px`;
    this.canvasHost.append(box);
    this.box = box;
  }
}
